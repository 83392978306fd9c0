namespace Berth.Contracts;

/// <summary>Body of <c>POST /api/v1/auth/login</c>: the admin token, from STATE_DIR/admin.token.</summary>
public sealed record LoginRequest(string? Token);
