namespace Berth.Contracts;

/// <summary>What a logged-in panel page needs: the CSRF token to send with changes (X-Berth-Csrf), and when the session ends.</summary>
public sealed record SessionInfo(string CsrfToken, DateTimeOffset ExpiresAt);
