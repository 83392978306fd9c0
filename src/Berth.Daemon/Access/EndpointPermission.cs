namespace Berth.Daemon.Access;

/// <summary>
/// What an endpoint needs, declared where it is mapped (see <see cref="Permits"/>). An endpoint without one is never
/// served: <see cref="PermissionGate"/> refuses it and the daemon refuses to start with one.
/// </summary>
/// <param name="Open">No caller needed (logging in, the panel's files).</param>
/// <param name="AdminOnly">Only root and admin users.</param>
/// <param name="Changes">It changes something, so read-only tokens are refused.</param>
/// <param name="Object">The kind of object the route names, which a member must own.</param>
/// <param name="RouteValue">The route value that names that object.</param>
public sealed record EndpointPermission(bool Open, bool AdminOnly, bool Changes, ObjectKind? Object, string? RouteValue)
{
    /// <summary>The route may name an object nobody has yet (the caller creates it); one that exists must be the caller's.</summary>
    public bool OrNew { get; init; }

    public override string ToString() => Open ? "open"
        : $"{(AdminOnly ? "admin" : "caller")} {(Changes ? "changes" : "reads")}{(Object is { } kind ? $" own {kind.ToString().ToLowerInvariant()} {{{RouteValue}}}{(OrNew ? " or a new one" : "")}" : "")}";
}
