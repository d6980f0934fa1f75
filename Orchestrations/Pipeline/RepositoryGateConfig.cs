using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Baton.Orchestrations.Pipeline;

/// <summary>Globs for one class.</summary>
public sealed record GateRule(GateClass Class, IReadOnlyList<string> Globs);

/// <summary>
/// The gate part of a repository's <c>.baton.yml</c>, read from its default branch (never from the pull request, so a
/// change to the file takes effect only once a human merged it):
/// <code>
/// gates:                      # globs added to a class (a single string is a one-item list)
///   payments: ["src/billing/**"]
///   schema-migrations: ["db/**"]
/// approvers: ["alice", "bob"] # GitHub logins, added to the server's Pipeline__Approvers
/// disable: ["data-deletion"]  # drops a class's built-in and server globs; globs under gates: still apply
/// </code>
/// </summary>
public sealed record RepositoryGateConfig(IReadOnlyList<GateRule> Gates, IReadOnlyList<string> Approvers, IReadOnlyList<GateClass> Disable)
{
    /// <summary>The file's path in the target repository.</summary>
    public const string FileName = ".baton.yml";

    /// <summary>Larger files are refused unread: a gate config is a few lines.</summary>
    public const int MaxLength = 64 * 1024;

    /// <summary>Most globs or logins a list may hold.</summary>
    public const int MaxItems = 200;

    public static RepositoryGateConfig Empty { get; } = new([], [], []);

    static readonly string[] TopLevelKeys = ["gates", "approvers", "disable"];

    // GitHub logins: alphanumerics and single hyphens, at most 39 characters.
    static readonly Regex Login = new("^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$", RegexOptions.CultureInvariant);

    /// <summary>
    /// Parses the file's text; null (no file) and an empty file are <see cref="Empty"/>. Never throws: invalid YAML, an
    /// unknown key, an unknown class, an empty glob or a malformed login give a <see cref="RepositoryGateConfigResult.Error"/>
    /// naming the line, for the orchestration to post as a comment.
    /// </summary>
    public static RepositoryGateConfigResult Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return new(Empty, null);
        if (text.Length > MaxLength) return Invalid($"the file is {text.Length} characters long; at most {MaxLength} are read");

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException exception)
        {
            return Invalid($"line {exception.Start.Line}: not valid YAML ({FirstSentence(exception)})");
        }
        if (stream.Documents.Count == 0) return new(Empty, null);
        if (stream.Documents.Count > 1) return Invalid("it holds several YAML documents; write one");

        var root = stream.Documents[0].RootNode;
        if (root is YamlScalarNode { Value: null or "" or "~" or "null" }) return new(Empty, null);
        if (root is not YamlMappingNode mapping) return Invalid($"line {root.Start.Line}: the top level must be a mapping ({string.Join(", ", TopLevelKeys)})");

        var errors = new List<string>();
        var gates = new List<GateRule>();
        var approvers = new List<string>();
        var disable = new List<GateClass>();
        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value;
            switch (key)
            {
                case "gates":
                    ReadGates(value, gates, errors);
                    break;
                case "approvers":
                    foreach (var (login, line) in ReadList(value, "approvers", errors))
                    {
                        var trimmed = login.TrimStart('@');
                        if (Login.IsMatch(trimmed)) approvers.Add(trimmed);
                        else errors.Add($"line {line}: `{login}` under approvers is not a GitHub login{(login.Contains('/', StringComparison.Ordinal) ? " (teams are not supported; list people)" : "")}");
                    }
                    break;
                case "disable":
                    foreach (var (name, line) in ReadList(value, "disable", errors))
                        if (ReadClass(name, line, "disable", errors) is { } gateClass) disable.Add(gateClass);
                    break;
                default:
                    errors.Add($"line {keyNode.Start.Line}: unknown key `{key ?? keyNode.ToString()}` (expected {string.Join(", ", TopLevelKeys)})");
                    break;
            }
        }
        return errors.Count > 0
            ? Invalid(string.Join("; ", errors))
            : new(new RepositoryGateConfig(gates, approvers.Distinct(StringComparer.OrdinalIgnoreCase).ToArray(), disable.Distinct().ToArray()), null);
    }

    static void ReadGates(YamlNode node, List<GateRule> gates, List<string> errors)
    {
        if (IsNull(node)) return;
        if (node is not YamlMappingNode classes)
        {
            errors.Add($"line {node.Start.Line}: gates must map class names to lists of globs");
            return;
        }
        foreach (var (keyNode, value) in classes.Children)
        {
            var name = (keyNode as YamlScalarNode)?.Value ?? "";
            var gateClass = ReadClass(name, keyNode.Start.Line, "gates", errors);
            var globs = new List<string>();
            foreach (var (glob, line) in ReadList(value, $"gates.{name}", errors))
            {
                if (GlobPattern.TryParse(glob, out _, out var error)) globs.Add(glob.Trim());
                else errors.Add($"line {line}: {error} under gates.{name}");
            }
            if (gateClass is { } known) gates.Add(new GateRule(known, globs));
        }
    }

    static GateClass? ReadClass(string name, long line, string where, List<string> errors)
    {
        if (GateClasses.TryParse(name, out var gateClass) && gateClass != GateClass.BatonConfig) return gateClass;
        errors.Add(gateClass == GateClass.BatonConfig && GateClasses.TryParse(name, out _)
            ? $"line {line}: `{name}` under {where} is built in and cannot be configured"
            : $"line {line}: unknown gate class `{name}` under {where} (expected {GateClasses.ConfigurableNames})");
        return null;
    }

    /// <summary>A list of strings; a single string is a list of one. Each item comes with its line.</summary>
    static List<(string Value, long Line)> ReadList(YamlNode node, string where, List<string> errors)
    {
        var items = new List<(string, long)>();
        if (IsNull(node)) return items;
        if (node is YamlScalarNode scalar)
        {
            items.Add((scalar.Value!, scalar.Start.Line));
            return items;
        }
        if (node is not YamlSequenceNode sequence)
        {
            errors.Add($"line {node.Start.Line}: {where} must be a list of strings");
            return items;
        }
        if (sequence.Children.Count > MaxItems)
        {
            errors.Add($"line {node.Start.Line}: {where} has {sequence.Children.Count} items; at most {MaxItems}");
            return items;
        }
        foreach (var item in sequence.Children)
        {
            if (item is YamlScalarNode { Value: { Length: > 0 } value }) items.Add((value, item.Start.Line));
            else errors.Add($"line {item.Start.Line}: every item of {where} must be a non-empty string");
        }
        return items;
    }

    static bool IsNull(YamlNode node) => node is YamlScalarNode { Style: not (ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted), Value: null or "" or "~" or "null" };

    static string FirstSentence(YamlException exception)
    {
        var message = exception.InnerException?.Message ?? exception.Message;
        // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: 20) - (Line: …): "; the line is reported separately.
        var at = message.LastIndexOf("): ", StringComparison.Ordinal);
        return at >= 0 ? message[(at + 3)..] : message;
    }

    static RepositoryGateConfigResult Invalid(string why) => new(null, $"`{FileName}` is invalid: {why}.");
}

/// <summary>A parsed <c>.baton.yml</c>, or why it could not be used (then <see cref="Config"/> is null).</summary>
public sealed record RepositoryGateConfigResult(RepositoryGateConfig? Config, string? Error)
{
    public bool IsValid => Error is null;
}
