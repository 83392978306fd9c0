namespace Berth.Daemon.Access;

/// <summary>The kinds of objects an endpoint can name in its route, whose owner <see cref="PermissionGate"/> checks.</summary>
public enum ObjectKind
{
    Container,
    Network,
    Job,
    User,
    Image,
}
