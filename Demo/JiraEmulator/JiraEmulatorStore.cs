using System.Text.Json.Nodes;

namespace Baton.Demo.JiraEmulator;

/// <summary>An issue held by the emulator. Its description and comments are ADF, as REST v3 stores them.</summary>
public sealed class EmulatedJiraIssue(string id, string key, string projectKey, string summary, JsonObject description, string status)
{
    public string Id { get; } = id;
    public string Key { get; } = key;
    public string ProjectKey { get; } = projectKey;
    public string Summary { get; set; } = summary;
    public JsonObject Description { get; set; } = description;
    public string Status { get; set; } = status;
    public List<string> Labels { get; } = [];
    public List<(string Id, JsonObject Body)> Comments { get; } = [];
    public List<(long Id, string GlobalId, string Url, string Title)> RemoteLinks { get; } = [];
}

/// <summary>A workflow transition: from any status but its target, <see cref="Name"/> moves an issue to <see cref="To"/>.</summary>
public sealed record EmulatedTransition(string Id, string Name, string To);

/// <summary>One webhook the emulator tried to deliver. <see cref="Status"/> is null when no answer came.</summary>
public sealed record EmulatedJiraDelivery(string Id, string IssueKey, string FromStatus, string ToStatus, string Body, int? Status)
{
    public bool Succeeded => Status is >= 200 and < 300;
}
