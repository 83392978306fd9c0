namespace Berth.Daemon.Access;

/// <summary>One logged-in browser: root (logged in with the admin token) or a user, with that user's current role and state.</summary>
public sealed record PanelSession(string Id, string CsrfToken, DateTimeOffset ExpiresAt)
{
    /// <summary>The user's name; "root" for a session opened with the admin token.</summary>
    public string User { get; init; } = "root";

    public Role Role { get; init; } = Role.Admin;

    public bool IsRoot { get; init; } = true;

    /// <summary>The user was disabled after logging in: the session is refused until the user is enabled again.</summary>
    public bool Disabled { get; init; }
}
