using Baton.Durable.Http;

namespace Baton.Tests.ManagementApi;

public sealed class UntrustedTextTests
{
    [Theory]
    [InlineData("9f0c5a3e-1d2b-4c1e-8f00-0a1b2c3d4e5f", "9f0c5a3e-1d2b-4c1e-8f00-0a1b2c3d4e5f")]
    [InlineData("a\u001b[31mred", "a\\u001b[31mred")]
    [InlineData("line\r\nforged", "line\\u000d\\u000aforged")]
    [InlineData("abc\u202Eevil", "abc\\u202eevil")]
    [InlineData("pair \U0001F600 kept", "pair \U0001F600 kept")]
    [InlineData(null, "(none)")]
    public void ForLog_Value_IsEscaped(string? value, string expected)
    {
        Assert.Equal(expected, UntrustedText.ForLog(value));
    }

    [Fact]
    public void ForLog_LoneSurrogate_IsEscaped()
    {
        // Built here: an attribute argument cannot hold a lone surrogate.
        Assert.Equal("lone \\ud800 surrogate", UntrustedText.ForLog("lone " + (char)0xD800 + " surrogate"));
    }

    [Fact]
    public void ForLog_LongValue_IsCutAtMaxLength()
    {
        var logged = UntrustedText.ForLog(new string('a', 30_000));

        Assert.Equal(new string('a', UntrustedText.MaxLength) + "…", logged);
    }
}
