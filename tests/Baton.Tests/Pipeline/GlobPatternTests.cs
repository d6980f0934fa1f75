using Baton.Orchestrations.Pipeline;

namespace Baton.Tests.Pipeline;

public sealed class GlobPatternTests
{
    [Theory]
    // literal and '*' within one segment
    [InlineData("README.md", "README.md", true)]
    [InlineData("README.md", "docs/README.md", false)]          // no implicit "any depth"
    [InlineData("*.sql", "schema.sql", true)]
    [InlineData("*.sql", "db/schema.sql", false)]               // '*' never crosses '/'
    [InlineData("src/*/auth.ts", "src/api/auth.ts", true)]
    [InlineData("src/*/auth.ts", "src/api/v1/auth.ts", false)]
    [InlineData("*session*", "session", true)]                  // '*' may be empty
    [InlineData("a*b*c", "abxbc", true)]                        // backtracks to the last '*'
    [InlineData("a*b*c", "abxbd", false)]
    // '?'
    [InlineData("v?.txt", "v1.txt", true)]
    [InlineData("v?.txt", "v12.txt", false)]
    [InlineData("a?b", "a/b", false)]                           // '?' is never '/'
    // '**'
    [InlineData("**/*.sql", "schema.sql", true)]                // zero segments in front
    [InlineData("**/*.sql", "db/a/b/schema.sql", true)]
    [InlineData("**/migrations/**", "migrations/001.sql", true)]
    [InlineData("**/migrations/**", "src/db/migrations/2026/001.sql", true)]
    [InlineData("**/migrations/**", "src/db/migrations", false)] // trailing '**' needs something inside
    [InlineData("db/**", "db/x.sql", true)]
    [InlineData("db/**", "db", false)]
    [InlineData("db/**", "dbx/x.sql", false)]
    [InlineData("a/**/b", "a/b", true)]                         // zero segments between
    [InlineData("a/**/b", "a/x/y/b", true)]
    [InlineData("a/**/b", "a/x/y/c", false)]
    [InlineData("**", "anything/at/all", true)]
    [InlineData("a**b", "axxb", true)]                          // inside a segment, same as '*'
    [InlineData("a**b", "ax/xb", false)]
    [InlineData("**/prisma/schema.prisma", "apps/web/prisma/schema.prisma", true)]
    // case and slashes
    [InlineData("**/auth/**", "src/Auth/login.ts", false)]       // case-sensitive
    [InlineData("**/Auth/**", "src/Auth/login.ts", true)]
    [InlineData("/db/**", "db/x.sql", true)]                    // leading '/' ignored on the pattern
    [InlineData("db/**", "/db/x.sql", true)]                    // and on the path
    [InlineData("db/", "db/x.sql", true)]                       // trailing '/' means the folder's contents
    [InlineData("[ab].txt", "[ab].txt", true)]                  // no character classes: literal
    [InlineData("[ab].txt", "a.txt", false)]
    public void IsMatch_Table(string pattern, string path, bool expected) =>
        Assert.Equal(expected, GlobPattern.Parse(pattern).IsMatch(path));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("/")]
    [InlineData("a//b")]
    public void TryParse_EmptyOrEmptySegment_Fails(string pattern)
    {
        Assert.False(GlobPattern.TryParse(pattern, out var parsed, out var error));
        Assert.Null(parsed);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void IsMatch_ManyDoubleStars_StaysCorrectOnLongPaths()
    {
        var path = string.Join('/', Enumerable.Repeat("a", 40)) + "/b.txt";

        Assert.True(GlobPattern.Parse("**/a/**/a/**/a/**/b.txt").IsMatch(path));
        Assert.False(GlobPattern.Parse("**/a/**/a/**/a/**/c.txt").IsMatch(path));
    }
}
