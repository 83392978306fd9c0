namespace Berth.Client;

/// <summary>berthd answered with an error (a non-2xx status and, normally, an RFC 9457 problem document).</summary>
public sealed class BerthApiException : Exception
{
    public BerthApiException(int status, string? title, string? detail, IReadOnlyList<string>? errors = null)
        : base(detail ?? title ?? $"berthd answered HTTP {status}")
    {
        Status = status;
        Title = title;
        Detail = detail;
        Errors = errors ?? [];
    }

    /// <summary>Every error the problem listed (a stack file's, say), one per line; empty when it gave only a detail.</summary>
    public IReadOnlyList<string> Errors { get; }

    public int Status { get; }
    public string? Title { get; }
    public string? Detail { get; }
}
