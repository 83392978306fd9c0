using System.Runtime.InteropServices;
using System.Text;

namespace Berth.Daemon.Native;

/// <summary>
/// One LXC container reached through liblxc in process. Only calls that do not fork live here (state, init pid,
/// freeze, stop, shutdown, cgroup items); start, attach and create run liblxc's tools as child processes.
/// Calls on one object are serialised, as liblxc objects are not meant to be shared between threads.
/// </summary>
public sealed unsafe class LxcContainer : IDisposable
{
    private readonly LxcContainerHandle _handle;
    private readonly Lock _lock = new();

    private LxcContainer(string name, string lxcPath, LxcContainerHandle handle)
    {
        Name = name;
        LxcPath = lxcPath;
        _handle = handle;
    }

    public string Name { get; }

    public string LxcPath { get; }

    public static LxcContainer Open(string name, string lxcPath) => new(name, lxcPath, LxcContainerHandle.Open(name, lxcPath));

    public static string Version => Marshal.PtrToStringUTF8((IntPtr)LxcInterop.lxc_get_version()) ?? "unknown";

    public bool IsDefined => Call(c => c->is_defined(c) != 0);

    /// <summary>STOPPED, STARTING, RUNNING, STOPPING, ABORTING, FREEZING, FROZEN or THAWED.</summary>
    public string State => Call(c => Marshal.PtrToStringUTF8((IntPtr)c->state(c)) ?? "UNKNOWN");

    /// <summary>The host pid of the container's init, or null when it is not running.</summary>
    public int? InitPid => Call(c =>
    {
        var pid = c->init_pid(c);
        return pid > 0 ? pid : (int?)null;
    });

    public void Freeze() => Require(Call(c => c->freeze(c) != 0), "freeze");

    public void Unfreeze() => Require(Call(c => c->unfreeze(c) != 0), "unfreeze");

    /// <summary>Kills the container at once.</summary>
    public void Stop() => Require(Call(c => c->stop(c) != 0), "stop");

    /// <summary>Asks init to halt and waits up to <paramref name="timeoutSeconds"/>; false when it did not stop in time.</summary>
    public bool Shutdown(int timeoutSeconds) => Call(c => c->shutdown(c, timeoutSeconds) != 0);

    /// <summary>Waits for the container to reach <paramref name="state"/>; false on timeout.</summary>
    public bool Wait(string state, int timeoutSeconds) => Call(c =>
    {
        fixed (byte* s = Utf8(state))
        {
            return c->wait(c, s, timeoutSeconds) != 0;
        }
    });

    /// <summary>Reads a cgroup file of the running container (e.g. memory.usage_in_bytes); null when it cannot be read.</summary>
    public string? GetCgroupItem(string key) => Call(c =>
    {
        var buffer = new byte[4096];
        fixed (byte* k = Utf8(key))
        fixed (byte* b = buffer)
        {
            var length = c->get_cgroup_item(c, k, b, buffer.Length);
            return length <= 0 ? null : Encoding.UTF8.GetString(buffer, 0, Math.Min(length, buffer.Length)).TrimEnd('\n', '\0');
        }
    });

    /// <summary>Writes a cgroup file of the running container, applying a limit live.</summary>
    public void SetCgroupItem(string key, string value) => Require(Call(c =>
    {
        fixed (byte* k = Utf8(key))
        fixed (byte* v = Utf8(value))
        {
            return c->set_cgroup_item(c, k, v) != 0;
        }
    }), $"set cgroup {key}={value} on");

    /// <summary>A key of the loaded configuration file (e.g. lxc.rootfs.path), or null when unset.</summary>
    public string? GetConfigItem(string key) => Call(c =>
    {
        var buffer = new byte[4096];
        fixed (byte* k = Utf8(key))
        fixed (byte* b = buffer)
        {
            var length = c->get_config_item(c, k, b, buffer.Length);
            return length <= 0 ? null : Encoding.UTF8.GetString(buffer, 0, Math.Min(length, buffer.Length)).TrimEnd('\0');
        }
    });

    public void Dispose() => _handle.Dispose();

    private static byte[] Utf8(string value) => Encoding.UTF8.GetBytes(value + '\0');

    private void Require(bool ok, string action)
    {
        if (!ok)
        {
            var detail = Call(c => c->error_string is null ? null : Marshal.PtrToStringUTF8((IntPtr)c->error_string));
            throw new LxcException($"liblxc could not {action} container '{Name}'" + (string.IsNullOrEmpty(detail) ? "" : $": {detail}"));
        }
    }

    private delegate T NativeCall<out T>(LxcInterop.LxcContainerStruct* container);

    private T Call<T>(NativeCall<T> call)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        lock (_lock)
        {
            var added = false;
            _handle.DangerousAddRef(ref added);
            try
            {
                return call(_handle.Pointer);
            }
            finally
            {
                if (added)
                {
                    _handle.DangerousRelease();
                }
            }
        }
    }
}
