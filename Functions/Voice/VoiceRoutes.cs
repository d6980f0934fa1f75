namespace Baton.Functions.Voice;

/// <summary>The voice intake's paths, named once.</summary>
public static class VoiceRoutes
{
    public const string Upload = "/api/voice";
    public const string StatusPattern = "/api/voice/{id}";
    public const string EventsPattern = "/api/voice/{id}/events";
    public const string ClarifyPattern = "/api/voice/{id}/clarify";
    public const string Page = "/voice";
    public const string Script = "/voice/recorder.js";
    public const string Style = "/voice/recorder.css";

    public static string Status(string id) => $"{Upload}/{id}";

    public static string Events(string id) => $"{Upload}/{id}/events";

    public static string Clarify(string id) => $"{Upload}/{id}/clarify";
}

/// <summary>What <c>POST /api/voice</c> answers (202): where to follow the request.</summary>
public sealed record VoiceReceipt(string Id, string StatusUrl, string EventsUrl, string ClarifyUrl)
{
    public static VoiceReceipt For(string id) => new(id, VoiceRoutes.Status(id), VoiceRoutes.Events(id), VoiceRoutes.Clarify(id));
}
