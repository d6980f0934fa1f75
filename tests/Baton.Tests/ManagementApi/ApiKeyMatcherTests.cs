using Baton.Durable.Http;

namespace Baton.Tests.ManagementApi;

/// <summary>What the constant-time comparison accepts. (Its timing is a property of
/// <c>CryptographicOperations.FixedTimeEquals</c> over fixed-size hashes, not something a unit test can time.)</summary>
public sealed class ApiKeyMatcherTests
{
    const string Key = "k3y-0123456789abcdef";

    [Theory]
    [InlineData(Key, true)]
    [InlineData("k3y-0123456789abcde", false)]
    [InlineData("k3y-0123456789abcdefg", false)]
    [InlineData("K3Y-0123456789ABCDEF", false)]
    [InlineData(" k3y-0123456789abcdef", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Matches_OneKey_AcceptsOnlyTheExactKey(string? presented, bool expected)
    {
        var matcher = new ApiKeyMatcher([Key]);

        Assert.Equal(expected, matcher.Matches(presented));
    }

    [Fact]
    public void Matches_RotatedKeys_AcceptsEach()
    {
        var matcher = new ApiKeyMatcher(["old-key-aaaaaaaaaaaa", "new-key-bbbbbbbbbbbb"]);

        Assert.True(matcher.Matches("old-key-aaaaaaaaaaaa"));
        Assert.True(matcher.Matches("new-key-bbbbbbbbbbbb"));
        Assert.False(matcher.Matches("other-key-cccccccccc"));
    }

    [Fact]
    public void Matches_NoKeysConfigured_IsEmptyAndAcceptsNothing()
    {
        var matcher = new ApiKeyMatcher(["", ""]);

        Assert.True(matcher.IsEmpty);
        Assert.False(matcher.Matches(""));
        Assert.False(matcher.Matches("anything"));
    }
}
