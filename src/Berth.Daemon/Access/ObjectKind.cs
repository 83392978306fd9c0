namespace Berth.Daemon.Access;

/// <summary>The kinds of objects an endpoint can name in its route, whose owner <see cref="PermissionGate"/> checks.</summary>
public enum ObjectKind
{
    Container,
    Network,
    Job,
    User,
    Backup,
    /// <summary>A routed domain, named by the domain: it belongs to the owner of its routes' containers.</summary>
    Route,
    Stack,
    Image,
}
