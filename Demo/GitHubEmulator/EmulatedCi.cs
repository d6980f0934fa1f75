namespace Baton.Demo.GitHubEmulator;

/// <summary>A push that scripted CI is asked about: the repository (<c>owner/repo</c>), branch, head sha, and which run of that branch it is (1, 2, …).</summary>
public sealed record EmulatedCiRun(string Repository, string Branch, string HeadSha, int Run);

/// <summary>
/// What a scripted CI run ends with: a conclusion (<c>success</c>, <c>failure</c>, <c>timed_out</c>, …) and the check
/// run's <c>output.title</c>/<c>output.summary</c> (made up from the run when null). A string converts to it, so a
/// script may simply return <c>"failure"</c>.
/// </summary>
public sealed record EmulatedCiOutcome(string Conclusion, string? Title = null, string? Summary = null)
{
    public static implicit operator EmulatedCiOutcome(string conclusion) => new(conclusion);

    internal (string Title, string Summary) Describe(EmulatedCiRun run, string checkName) =>
        (Title ?? (Conclusion == "success" ? $"{checkName} passed" : $"{checkName} {Conclusion}"),
         Summary ?? (Conclusion == "success"
             ? $"All tests passed on {run.Branch} at {run.HeadSha[..7]} (run {run.Run})."
             : $"Run {run.Run} of {checkName} on {run.Branch} at {run.HeadSha[..7]} ended with {Conclusion}: 1 test failed."));
}
