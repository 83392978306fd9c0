namespace Berth.Daemon.Access;

/// <summary>What a user may do: admins manage the host and every object, members only their own objects.</summary>
public enum Role
{
    Member,
    Admin,
}
