using Berth.Contracts;
using Berth.Daemon.Access;
using Berth.Daemon.Api;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Users;

/// <summary>Users' quotas: admins set them; a user sees their own with usage against each limit.</summary>
public sealed partial class QuotaService(QuotaStore quotas, UserStore users, ILogger<QuotaService> logger)
{
    public async Task<QuotaInfo> GetAsync(Caller caller, string name, CancellationToken cancellationToken)
    {
        var user = await RequireVisibleAsync(caller, name, cancellationToken).ConfigureAwait(false);
        var (limits, usage) = await quotas.ReadAsync(user.Name, cancellationToken).ConfigureAwait(false);
        return Describe(user.Name, limits, usage);
    }

    public async Task<QuotaInfo> UpdateAsync(Caller caller, string name, QuotaUpdateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        if (!caller.IsAdmin || caller.ReadOnly)
        {
            throw DomainError.Forbidden("Admins only", "only an admin may set quotas.");
        }

        var user = await RequireVisibleAsync(caller, name, cancellationToken).ConfigureAwait(false);
        var errors = new List<string>();
        var set = new Dictionary<QuotaResource, long>();
        var unset = new List<QuotaResource>();
        foreach (var key in request.Unset ?? [])
        {
            if (Known(key, errors) is { } resource)
            {
                unset.Add(resource);
            }
        }

        foreach (var (key, value) in request.Set ?? new Dictionary<string, string>())
        {
            if (Known(key, errors) is not { } resource)
            {
                continue;
            }

            if (string.IsNullOrWhiteSpace(value))
            {
                unset.Add(resource);
            }
            else if (resource.TryParseLimit(value, out var limit))
            {
                set[resource] = limit;
            }
            else
            {
                errors.Add($"{key}={Hosting.ControlCharacters.Visible(value.Length > 40 ? value[..40] : value)}: {(resource.Bytes ? "not a size; write it like 2GiB or 512MiB" : "not a whole number")}");
            }
        }

        if (errors.Count > 0)
        {
            throw DomainError.Invalid("Invalid quota", string.Join("; ", errors) + ".");
        }

        await quotas.UpdateAsync(user.Name, set, unset, cancellationToken).ConfigureAwait(false);
        LogUpdated(logger, user.Name, string.Join(' ', set.Select(s => $"{s.Key.Name}={s.Value}").Concat(unset.Select(u => $"{u.Name}="))), caller.Name);
        return await GetAsync(caller, user.Name, cancellationToken).ConfigureAwait(false);
    }

    private static QuotaResource? Known(string key, List<string> errors)
    {
        var resource = QuotaResource.Find(key);
        if (resource is null)
        {
            errors.Add($"unknown quota '{Hosting.ControlCharacters.Visible(key.Length > 40 ? key[..40] : key)}' (known: {string.Join(", ", QuotaResource.All.Select(r => r.Name))})");
        }

        return resource;
    }

    private async Task<UserRecord> RequireVisibleAsync(Caller caller, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var user = UserName.IsValid(name) ? await users.FindAsync(name, cancellationToken).ConfigureAwait(false) : null;
        return user is not null && caller.MayUse(user.Name)
            ? user
            : throw UserName.NotFound(name);
    }

    private static QuotaInfo Describe(string user, Dictionary<QuotaResource, long> limits, QuotaUsage usage) => new()
    {
        User = user,
        Items = [.. QuotaResource.All.Select(r => new QuotaItem
        {
            Resource = r.Name,
            Unit = r.Bytes ? "bytes" : "count",
            Limit = limits.TryGetValue(r, out var limit) ? limit : null,
            Used = usage.Used[r],
            UnboundedBy = usage.UnboundedBy.GetValueOrDefault(r),
        })],
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Quota of {User} changed: {Change} (by {Caller})")]
    private static partial void LogUpdated(ILogger logger, string user, string change, string caller);
}
