using System.Security.Cryptography;
using Berth.Daemon.Users;

namespace Berth.Daemon.Access;

/// <summary>
/// Browser sessions of the web panel: a random id in an HttpOnly cookie and a CSRF token the page sends back as a
/// header. Sessions are stored (<see cref="SessionStore"/>, by hash), so a restart logs nobody out; a session opened
/// with the admin token is stored with a key derived from that token, so replacing the token ends it.
/// </summary>
public sealed class PanelSessions(TimeProvider time, SessionStore store, AdminToken token)
{
    public const string CookieName = "berth_session";
    public const string CsrfHeader = "X-Berth-Csrf";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    private readonly string _tokenKey = Convert.ToHexString(token.DeriveKey("berth-root-session"));

    /// <summary>A session for whoever holds the admin token.</summary>
    public async Task<PanelSession> CreateRootAsync(CancellationToken cancellationToken = default)
    {
        var session = New();
        await store.InsertRootAsync(session.Id, _tokenKey, session.CsrfToken, session.ExpiresAt, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return session;
    }

    public async Task<PanelSession> CreateAsync(string user, Role role, CancellationToken cancellationToken = default)
    {
        var session = New() with { User = user, Role = role, IsRoot = false };
        await store.InsertAsync(session.Id, user, session.CsrfToken, session.ExpiresAt, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return session;
    }

    public async Task<PanelSession?> FindAsync(string? id, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 128)
        {
            return null;
        }

        if (await store.FindRootAsync(id, _tokenKey, time.GetUtcNow(), cancellationToken).ConfigureAwait(false) is { } root)
        {
            return new PanelSession(id, root.Csrf, root.ExpiresAt);
        }

        return await store.FindAsync(id, time.GetUtcNow(), cancellationToken).ConfigureAwait(false) is { } stored
            ? new PanelSession(id, stored.CsrfToken, stored.ExpiresAt) { User = stored.User, Role = stored.Role, IsRoot = false, Disabled = stored.Disabled }
            : null;
    }

    public async Task RemoveAsync(string? id, CancellationToken cancellationToken = default)
    {
        if (!string.IsNullOrEmpty(id))
        {
            await store.DeleteAsync(id, cancellationToken).ConfigureAwait(false);
        }
    }

    private PanelSession New() =>
        new(AdminToken.Base64Url(RandomNumberGenerator.GetBytes(32)), AdminToken.Base64Url(RandomNumberGenerator.GetBytes(24)), time.GetUtcNow() + Lifetime);
}
