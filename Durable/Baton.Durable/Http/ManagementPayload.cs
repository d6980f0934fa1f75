using Microsoft.AspNetCore.Http;

namespace Baton.Durable.Http;

/// <summary>
/// The links a client needs to follow one instance (Durable Functions' <c>HttpManagementPayload</c>). Only
/// operations this API supports are listed; no API key is ever put into a link.
/// </summary>
public sealed record ManagementPayload(
    string Id,
    string StatusQueryGetUri,
    string SendEventPostUri,
    string TerminatePostUri,
    string SuspendPostUri,
    string ResumePostUri,
    string PurgeHistoryDeleteUri)
{
    public static ManagementPayload For(HttpRequest request, string basePath, string instanceId)
    {
        var instance = InstanceUri(request, basePath, instanceId);
        return new ManagementPayload(
            instanceId,
            instance,
            instance + "/raiseEvent/{eventName}",
            instance + "/terminate?reason={text}",
            instance + "/suspend?reason={text}",
            instance + "/resume?reason={text}",
            instance);
    }

    public static string InstanceUri(HttpRequest request, string basePath, string instanceId) =>
        $"{request.Scheme}://{request.Host}{request.PathBase}{basePath}/instances/{Uri.EscapeDataString(instanceId)}";
}
