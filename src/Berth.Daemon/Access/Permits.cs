namespace Berth.Daemon.Access;

/// <summary>The declarations every endpoint ends with: who may call it, whether it changes anything, and which object it acts on.</summary>
public static class Permits
{
    /// <summary>No caller needed: logging in, the session check, the panel's own files.</summary>
    public static TBuilder Open<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.Declare(new EndpointPermission(true, false, false, null, null));

    /// <summary>Any caller may look; what it sees is filtered by the service (lists show a member only their own).</summary>
    public static TBuilder Reads<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.Declare(new EndpointPermission(false, false, false, null, null));

    /// <summary>Any caller with a token that may write; the service checks what the request names.</summary>
    public static TBuilder Changes<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.Declare(new EndpointPermission(false, false, true, null, null));

    /// <summary>Looks at the object the route names, which the caller must own (or be an admin).</summary>
    public static TBuilder Reads<TBuilder>(this TBuilder builder, ObjectKind kind, string routeValue = "name") where TBuilder : IEndpointConventionBuilder =>
        builder.Declare(new EndpointPermission(false, false, false, kind, routeValue));

    /// <summary>Changes the object the route names, which the caller must own (or be an admin).</summary>
    public static TBuilder Changes<TBuilder>(this TBuilder builder, ObjectKind kind, string routeValue = "name") where TBuilder : IEndpointConventionBuilder =>
        builder.Declare(new EndpointPermission(false, false, true, kind, routeValue));

    /// <summary>Creates the object the route names or changes it: a new name is anybody's to take, an existing object must be the caller's.</summary>
    public static TBuilder ChangesOrCreates<TBuilder>(this TBuilder builder, ObjectKind kind, string routeValue = "name") where TBuilder : IEndpointConventionBuilder =>
        builder.Declare(new EndpointPermission(false, false, true, kind, routeValue) { OrNew = true });

    /// <summary>Host-wide information only admins see.</summary>
    public static TBuilder AdminReads<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.Declare(new EndpointPermission(false, true, false, null, null));

    /// <summary>Host-wide changes only admins make.</summary>
    public static TBuilder AdminChanges<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.Declare(new EndpointPermission(false, true, true, null, null));

    /// <summary>Also open to metrics-only tokens (the Prometheus scrape); every other endpoint refuses them.</summary>
    public static TBuilder AcceptsMetricsTokens<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(MetricsScrape.Instance);

    private static TBuilder Declare<TBuilder>(this TBuilder builder, EndpointPermission permission) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(permission);
}
