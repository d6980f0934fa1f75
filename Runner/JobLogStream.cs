using System.Text;
using System.Threading.Channels;
using Baton.Runner.Connection;
using Baton.Runner.Protocol;
using Baton.Runner.Workspaces;
using Microsoft.Extensions.Logging;

namespace Baton.Runner;

/// <summary>Sends one job's log lines to the host in small batches, without ever holding up the agent: lines queue in
/// memory (the oldest are dropped past a cap) and a background pump sends them.</summary>
/// <remarks>Every line is scrubbed of the job's credential (and of the Basic header built from it) before it is queued:
/// git and agents echo what they are given, and the host shows these lines to people.</remarks>
internal sealed class JobLogStream : IAsyncDisposable
{
    private const int MaxLineChars = 2000;
    private const int MaxQueuedLines = 10_000;

    private readonly Channel<string> _lines = Channel.CreateBounded<string>(
        new BoundedChannelOptions(MaxQueuedLines) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly IRunnerConnection _connection;
    private readonly AgentJob _job;
    private readonly RunnerOptions _options;
    private readonly ILogger _logger;
    private readonly Action _onLeaseLost;
    private readonly string[] _secrets;
    private readonly Task _pump;
    private bool _stopped;

    public JobLogStream(IRunnerConnection connection, AgentJob job, RunnerOptions options, ILogger logger, Action onLeaseLost)
    {
        (_connection, _job, _options, _logger, _onLeaseLost) = (connection, job, options, logger, onLeaseLost);
        _secrets = job.Credential is { Length: > 0 } credential
            ? [credential, GitCli.AuthorizationHeader(credential)["Authorization: Basic ".Length..]]
            : [];
        _pump = Task.Run(PumpAsync);
    }

    public void Add(string line)
    {
        foreach (var secret in _secrets)
            line = line.Replace(secret, "***", StringComparison.Ordinal);
        _lines.Writer.TryWrite(line.Length > MaxLineChars ? line[..MaxLineChars] + " …" : line);
    }

    /// <summary>Sends what is queued and stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _lines.Writer.TryComplete();
        await _pump;
    }

    private async Task PumpAsync()
    {
        var reader = _lines.Reader;
        while (await reader.WaitToReadAsync())
        {
            var batch = new List<string>();
            using (var window = new CancellationTokenSource(_options.LogFlushInterval))
            {
                while (batch.Count < _options.LogBatchSize)
                {
                    while (batch.Count < _options.LogBatchSize && reader.TryRead(out var line))
                        batch.Add(line);
                    if (batch.Count >= _options.LogBatchSize)
                        break;
                    try
                    {
                        if (!await reader.WaitToReadAsync(window.Token))
                            break;
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
            }
            await SendAsync(batch);
        }
    }

    private async Task SendAsync(List<string> batch)
    {
        if (_stopped || batch.Count == 0)
            return;
        try
        {
            await _connection.SendLogsAsync(_job.JobId, new JobLogLines(_job.LeaseToken, batch), CancellationToken.None);
        }
        catch (LeaseLostException)
        {
            _stopped = true;
            _onLeaseLost();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            // Lost log lines are a pity, not a reason to stop the agent.
            RunnerLog.LogsFailed(_logger, e, _job.JobId);
        }
    }
}
