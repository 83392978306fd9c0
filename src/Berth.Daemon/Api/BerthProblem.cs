namespace Berth.Daemon.Api;

/// <summary>A refusal the API turns into an RFC 9457 problem: what was wrong (title) and how to fix it (detail).</summary>
public sealed class BerthProblem(int status, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    public string Title { get; } = title;

    public static BerthProblem BadRequest(string title, string detail) => new(StatusCodes.Status400BadRequest, title, detail);

    public static BerthProblem NotFound(string title, string detail) => new(StatusCodes.Status404NotFound, title, detail);

    public static BerthProblem Conflict(string title, string detail) => new(StatusCodes.Status409Conflict, title, detail);

    /// <summary>A 404 for a name there is no container by; a 400 saying what names look like for one that could never be a name.</summary>
    public static BerthProblem ContainerNotFound(string name) => Containers.ContainerName.IsValid(name)
        ? NotFound("Container not found", $"There is no container named '{name}'; 'berth list' shows the containers there are.")
        : Containers.ContainerName.Invalid(name);
}
