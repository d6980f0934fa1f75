using Baton.Orchestrations.Pipeline;

namespace Baton.Tests.Pipeline;

/// <summary>New dependency vs bump vs removal, per manifest format, from GitHub-style patches.</summary>
public sealed class DiffSignalsTests
{
    public static TheoryData<string, string, string, bool> Cases => new()
    {
        {
            "package.json: a new dependency", "package.json", """
            @@ -10,6 +10,7 @@
               "dependencies": {
                 "express": "^4.18.2",
            +    "left-pad": "^1.3.0",
                 "lodash": "^4.17.21"
               },
            """, true
        },
        {
            "package.json: a version bump", "package.json", """
            @@ -11,7 +11,7 @@
               "dependencies": {
                 "express": "^4.18.2",
            -    "lodash": "^4.17.20"
            +    "lodash": "^4.17.21"
               },
            """, false
        },
        {
            "package.json: an appended dependency moves a comma", "package.json", """
            @@ -11,7 +11,8 @@
               "dependencies": {
            -    "lodash": "^4.17.21"
            +    "lodash": "^4.17.21",
            +    "zod": "^3.22.0"
               },
            """, true
        },
        {
            "package.json: removal only", "package.json", """
            @@ -11,7 +11,6 @@
               "dependencies": {
            -    "left-pad": "^1.3.0",
                 "lodash": "^4.17.21"
               },
            """, false
        },
        {
            "package.json: a new script is not a dependency", "package.json", """
            @@ -4,6 +4,7 @@
               "scripts": {
                 "build": "tsc",
            +    "lint": "eslint .",
                 "test": "vitest"
               },
            """, false
        },
        {
            "package.json: a hunk with no section header gates", "package.json", """
            @@ -30,6 +30,7 @@
                 "express": "^4.18.2",
            +    "left-pad": "^1.3.0",
                 "lodash": "^4.17.21"
            """, true
        },
        {
            "csproj: a new PackageReference", "src/App/App.csproj", """
            @@ -8,5 +8,6 @@
               <ItemGroup>
                 <PackageReference Include="Polly.Core" />
            +    <PackageReference Include="YamlDotNet" />
               </ItemGroup>
            """, true
        },
        {
            "csproj: a new Compile item is not a dependency", "src/App/App.csproj", """
            @@ -8,5 +8,6 @@
               <ItemGroup>
            +    <Compile Include="../Shared/**/*.cs" />
               </ItemGroup>
            """, false
        },
        {
            "Directory.Packages.props: a bump", "Directory.Packages.props", """
            @@ -3,3 +3,3 @@
            -    <PackageVersion Include="Npgsql" Version="9.0.3" />
            +    <PackageVersion Include="Npgsql" Version="10.0.0" />
            """, false
        },
        {
            "Directory.Packages.props: a new version pin", "Directory.Packages.props", """
            @@ -3,3 +3,4 @@
                 <PackageVersion Include="Npgsql" Version="10.0.0" />
            +    <PackageVersion Include="YamlDotNet" Version="16.3.0" />
            """, true
        },
        {
            "requirements.txt: a new line", "requirements-dev.txt", """
            @@ -1,2 +1,3 @@
             requests==2.31.0
            +pyyaml>=6.0
             # pinned for CI
            """, true
        },
        {
            "requirements.txt: a bump and a comment", "requirements.txt", """
            @@ -1,2 +1,3 @@
            -requests==2.31.0
            +requests==2.32.3
            +# keep in sync with setup.cfg
            """, false
        },
        {
            "go.sum: a module bump", "go.sum", """
            @@ -1,2 +1,2 @@
            -golang.org/x/net v0.20.0 h1:aCL9BSgETF1k+blQaYUBx9hJ9LOGP3gAVemcZlf1Kpo=
            -golang.org/x/net v0.20.0/go.mod h1:z8BVo6PvndSri0LbOE3hAn0apkU+1YvI6E70E9jsnvY=
            +golang.org/x/net v0.21.0 h1:AQyQV4dYCvJ7vGmJyKki9+PBdyvhkSd8EIx/qb0AYv4=
            +golang.org/x/net v0.21.0/go.mod h1:bIjVDfnllIU7BJ2DNgfnXvpSvtn8VRwhlsaeUTyUS44=
            """, false
        },
        {
            "go.mod: a new require", "go.mod", """
            @@ -3,4 +3,5 @@
             require (
            	golang.org/x/net v0.21.0
            +	github.com/google/uuid v1.6.0
             )
            """, true
        },
        {
            "yarn.lock: a bump keeps the entry", "yarn.lock", """
            @@ -10,7 +10,7 @@
            -lodash@^4.17.20:
            -  version "4.17.20"
            -  resolved "https://registry.yarnpkg.com/lodash/-/lodash-4.17.20.tgz#b44a9b6297bcb698f1c51a3545a2b3b368d59c52"
            -  integrity sha512-PlhdFcillOINfeV7Ni6oF1TAEayyZBoZ8bcshTHqOYJYlrqzRK5hagpagky5o4HfCzzd1TRkXPMFq6cKk9rGmA==
            +lodash@^4.17.21:
            +  version "4.17.21"
            +  resolved "https://registry.yarnpkg.com/lodash/-/lodash-4.17.21.tgz#679591c564c3bffaae8454cf0b3df370c3d6911c"
            +  integrity sha512-v2kDEe57lecTulaDIuNTPy3Ry4gLGJ6Z1O3vE1krgXZNrsQ+LFTGHVxVjcXPs17LhbZVGedAJv8XZ1tvj5FvSg==
            """, false
        },
        {
            "Cargo.toml: a new dependency", "Cargo.toml", """
            @@ -7,3 +7,4 @@
             [dependencies]
             serde = "1.0"
            +reqwest = { version = "0.12", features = ["json"] }
            """, true
        },
        {
            "Cargo.toml: a package version bump is not a dependency", "Cargo.toml", """
            @@ -1,4 +1,4 @@
             [package]
             name = "app"
            -version = "0.1.0"
            +version = "0.2.0"
            +description = "The app"
            """, false
        },
        {
            "pom.xml: a new dependency", "pom.xml", """
            @@ -20,6 +20,11 @@
                 <dependencies>
            +      <dependency>
            +        <groupId>com.google.guava</groupId>
            +        <artifactId>guava</artifactId>
            +        <version>33.0.0-jre</version>
            +      </dependency>
            """, true
        },
        {
            "pom.xml: a version bump", "pom.xml", """
            @@ -23,3 +23,3 @@
                     <artifactId>guava</artifactId>
            -        <version>32.1.0-jre</version>
            +        <version>33.0.0-jre</version>
            """, false
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void AddedDependencies_Table(string name, string path, string patch, bool expectNew)
    {
        var added = DiffSignals.AddedDependencies(path, patch);

        Assert.NotNull(added);
        Assert.True(expectNew == added.Count > 0, $"{name}: got [{string.Join(" | ", added)}]");
    }

    [Fact]
    public void AddedDependencies_NotAManifest_IsNull() =>
        Assert.Null(DiffSignals.AddedDependencies("vendor/lib.js", "@@ -1 +1 @@\n+x"));

    [Theory]
    [InlineData("+DROP TABLE users;", true)]
    [InlineData("+    migrationBuilder.DropColumn(name: \"Email\", table: \"Users\");", true)]  // dropping a column loses its data
    [InlineData("+truncate table audit_log", true)]
    [InlineData("+await db.Orders.Where(o => o.Old).ExecuteDeleteAsync();", true)]
    [InlineData("+User.where(inactive: true).destroy_all", true)]
    [InlineData("+await prisma.session.deleteMany({ where: { expired: true } })", true)]
    [InlineData("+const deleted = items.filter(x => x.deleted)", false)]
    [InlineData("-DELETE FROM users", false)]                    // removed, not added
    [InlineData(" DELETE FROM users", false)]                    // context
    public void DestructiveLines_Table(string patchLine, bool destructive) =>
        Assert.Equal(destructive, DiffSignals.DestructiveLines($"@@ -1,1 +1,1 @@\n{patchLine}").Count > 0);
}
