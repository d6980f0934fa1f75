namespace Baton.Functions.Dashboard;

/// <summary>The dashboard's paths, named once.</summary>
public static class DashboardRoutes
{
    public const string Home = "/";
    public const string Live = "/dashboard/live";
    public const string SignIn = "/dashboard/signin";
    public const string SignInWithGitHub = "/dashboard/signin/github";
    public const string OAuthCallback = "/dashboard/signin-github";
    public const string SignOut = "/dashboard/signout";
    public const string Denied = "/dashboard/denied";
    public const string DecidePattern = "/dashboard/escalations/{key}";

    public static string Decide(string key) => "/dashboard/escalations/" + Uri.EscapeDataString(key);
}
