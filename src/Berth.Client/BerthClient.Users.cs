using Berth.Contracts;

namespace Berth.Client;

/// <summary>Users, their passwords, second factor and API tokens.</summary>
public sealed partial class BerthClient
{
    /// <summary>Who the daemon takes this client for.</summary>
    public Task<CallerInfo> WhoAmIAsync(CancellationToken cancellationToken = default) =>
        GetAsync<CallerInfo>("api/v1/auth/whoami", cancellationToken);

    public async Task<IReadOnlyList<UserInfo>> ListUsersAsync(CancellationToken cancellationToken = default) =>
        await GetAsync<UserInfo[]>("api/v1/users", cancellationToken).ConfigureAwait(false);

    public Task<UserInfo> GetUserAsync(string name, CancellationToken cancellationToken = default) =>
        GetAsync<UserInfo>($"api/v1/users/{Escape(name)}", cancellationToken);

    /// <summary>Creates a user; without a password the answer carries a one-time setup code.</summary>
    public Task<UserSetupResult> CreateUserAsync(UserCreateRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<UserSetupResult>(HttpMethod.Post, "api/v1/users", Json(request), cancellationToken);

    public Task<UserInfo> DeleteUserAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync<UserInfo>(HttpMethod.Delete, $"api/v1/users/{Escape(name)}", content: null, cancellationToken);

    /// <summary>Disables a user (its tokens and sessions are refused at once) or enables it again.</summary>
    public Task<UserInfo> SetUserDisabledAsync(string name, bool disabled, CancellationToken cancellationToken = default) =>
        SendAsync<UserInfo>(HttpMethod.Post, $"api/v1/users/{Escape(name)}/{(disabled ? "disable" : "enable")}", content: null, cancellationToken);

    /// <summary>Sets a password, or with none replaces it by a one-time setup code.</summary>
    public Task<UserSetupResult> SetPasswordAsync(string name, string? password, CancellationToken cancellationToken = default) =>
        SendAsync<UserSetupResult>(HttpMethod.Put, $"api/v1/users/{Escape(name)}/password", Json(new PasswordRequest { Password = password }), cancellationToken);

    /// <summary>Gives the account a TOTP key; the otpauth:// URI is answered this once.</summary>
    public Task<TotpInfo> EnableTotpAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync<TotpInfo>(HttpMethod.Put, $"api/v1/users/{Escape(name)}/totp", content: null, cancellationToken);

    public Task<UserInfo> DisableTotpAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync<UserInfo>(HttpMethod.Delete, $"api/v1/users/{Escape(name)}/totp", content: null, cancellationToken);

    /// <summary>Sets the password a setup code was made for.</summary>
    public Task<UserInfo> RedeemSetupAsync(SetupRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<UserInfo>(HttpMethod.Post, "api/v1/auth/setup", Json(request), cancellationToken);

    /// <summary>The tokens of a user, or with none every token this client may see.</summary>
    public async Task<IReadOnlyList<TokenInfo>> ListTokensAsync(string? user = null, CancellationToken cancellationToken = default) =>
        await GetAsync<TokenInfo[]>(user is null ? "api/v1/tokens" : $"api/v1/users/{Escape(user)}/tokens", cancellationToken).ConfigureAwait(false);

    /// <summary>Creates a token; the answer is the only time the token itself is shown.</summary>
    public Task<TokenCreateResult> CreateTokenAsync(string user, TokenCreateRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<TokenCreateResult>(HttpMethod.Post, $"api/v1/users/{Escape(user)}/tokens", Json(request), cancellationToken);

    public Task<TokenInfo> RevokeTokenAsync(string user, string name, CancellationToken cancellationToken = default) =>
        SendAsync<TokenInfo>(HttpMethod.Delete, $"api/v1/users/{Escape(user)}/tokens/{Escape(name)}", content: null, cancellationToken);
}
