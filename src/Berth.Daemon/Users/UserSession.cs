using Berth.Daemon.Access;

namespace Berth.Daemon.Users;

/// <summary>A user's panel session as stored, with the user's current role and state.</summary>
public sealed record UserSession(string User, Role Role, bool Disabled, string CsrfToken, DateTimeOffset ExpiresAt);
