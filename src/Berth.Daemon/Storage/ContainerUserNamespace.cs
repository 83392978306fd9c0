using System.Diagnostics;
using System.Globalization;
using Berth.Daemon.Containers;
using Microsoft.Win32.SafeHandles;

namespace Berth.Daemon.Storage;

/// <summary>
/// A user namespace with the id map of unprivileged containers, held open by a file descriptor, for idmapped mounts.
/// It is made by starting `unshare` with the map (the daemon itself must not fork) and keeping its namespace after
/// the process is gone.
/// </summary>
public sealed class ContainerUserNamespace(HostIdMap hostIdMap) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SafeFileHandle? _handle;

    public async Task<SafeFileHandle> GetAsync(CancellationToken cancellationToken)
    {
        if (_handle is { IsInvalid: false } ready)
        {
            return ready;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _handle ??= await CreateAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _handle?.Dispose();
        _gate.Dispose();
    }

    private async Task<SafeFileHandle> CreateAsync(CancellationToken cancellationToken)
    {
        var map = hostIdMap.Map ?? throw new InvalidOperationException("no subordinate id range for root in /etc/subuid and /etc/subgid; run setup");
        string Range(long hostBase) => $"{hostBase.ToString(CultureInfo.InvariantCulture)},0,{map.Size.ToString(CultureInfo.InvariantCulture)}";
        var info = new ProcessStartInfo("unshare") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var arg in new[] { "--user", $"--map-users={Range(map.UidBase)}", $"--map-groups={Range(map.GidBase)}", "sleep", "infinity" })
        {
            info.ArgumentList.Add(arg);
        }

        using var holder = Process.Start(info) ?? throw new IOException("cannot start unshare");
        try
        {
            var expected = $"0 {map.UidBase.ToString(CultureInfo.InvariantCulture)} {map.Size.ToString(CultureInfo.InvariantCulture)}";
            for (var i = 0; i < 100; i++)
            {
                if (holder.HasExited)
                {
                    throw new IOException($"unshare could not create the user namespace: {await holder.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false)}");
                }

                var uidMap = string.Join(' ', (await File.ReadAllTextAsync($"/proc/{holder.Id}/uid_map", cancellationToken).ConfigureAwait(false)).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                var exec = await File.ReadAllTextAsync($"/proc/{holder.Id}/comm", cancellationToken).ConfigureAwait(false);
                if (uidMap == expected && exec.Trim() == "sleep")
                {
                    return File.OpenHandle($"/proc/{holder.Id}/ns/user", FileMode.Open, FileAccess.Read);
                }

                await Task.Delay(20, cancellationToken).ConfigureAwait(false);
            }

            throw new IOException("unshare did not set up the user namespace in time");
        }
        finally
        {
            holder.Kill();
            await holder.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }
}
