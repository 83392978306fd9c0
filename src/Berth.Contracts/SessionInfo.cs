namespace Berth.Contracts;

/// <summary>
/// What a logged-in panel page needs: the CSRF token to send with changes (X-Berth-Csrf), when the session ends, and
/// who is logged in ("root" for the admin token) with which role ("admin" or "member").
/// </summary>
public sealed record SessionInfo(string CsrfToken, DateTimeOffset ExpiresAt, string? User = null, string? Role = null);
