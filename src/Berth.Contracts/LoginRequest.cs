namespace Berth.Contracts;

/// <summary>
/// Body of <c>POST /api/v1/auth/login</c>: a user's name and password (and the 6-digit code when the account has a
/// second factor), or the admin token from STATE_DIR/admin.token.
/// </summary>
public sealed record LoginRequest(string? Token = null, string? User = null, string? Password = null, string? Code = null);
