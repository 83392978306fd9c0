namespace Berth.Daemon.Errors;

/// <summary>
/// A refusal or failure the domain code raises: what was wrong (title) and how to fix it (detail, naming API fields).
/// Domain code never speaks HTTP; Api/ProblemMapping turns each into an RFC 9457 problem in one place.
/// </summary>
public sealed class DomainError(ErrorKind kind, string title, string detail) : Exception(detail)
{
    public ErrorKind Kind { get; } = kind;

    public string Title { get; } = title;

    /// <summary>Every error found at once, when there are several; the detail sums them up.</summary>
    public IReadOnlyList<string>? Errors { get; init; }

    public static DomainError Invalid(string title, string detail) => new(ErrorKind.Invalid, title, detail);

    public static DomainError Unauthenticated(string title, string detail) => new(ErrorKind.Unauthenticated, title, detail);

    public static DomainError Forbidden(string title, string detail) => new(ErrorKind.Forbidden, title, detail);

    public static DomainError NotFound(string title, string detail) => new(ErrorKind.NotFound, title, detail);

    public static DomainError Conflict(string title, string detail) => new(ErrorKind.Conflict, title, detail);

    public static DomainError OutOfSpace(string title, string detail) => new(ErrorKind.OutOfSpace, title, detail);

    public static DomainError Upstream(string title, string detail) => new(ErrorKind.Upstream, title, detail);
}
