namespace Baton.Durable;

/// <summary>Rules for caller-chosen instance ids.</summary>
public static class InstanceIds
{
    public const int MaxLength = 256;

    public static void Validate(string instanceId)
    {
        if (string.IsNullOrWhiteSpace(instanceId))
            throw new ArgumentException("An instance id must not be empty.", nameof(instanceId));
        if (instanceId.Length > MaxLength)
            throw new ArgumentException($"An instance id must be at most {MaxLength} characters.", nameof(instanceId));
        if (instanceId.Any(char.IsControl))
            throw new ArgumentException("An instance id must not contain control characters.", nameof(instanceId));
    }
}
