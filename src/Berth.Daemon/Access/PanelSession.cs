namespace Berth.Daemon.Access;

/// <summary>One logged-in browser.</summary>
public sealed record PanelSession(string Id, string CsrfToken, DateTimeOffset ExpiresAt);
