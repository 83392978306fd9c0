using System.Runtime.InteropServices;

namespace Berth.Daemon.Native;

/// <summary>liblxc's C entry points and the layout of <c>struct lxc_container</c> (lxccontainer.h, LXC 4.0-6.0).</summary>
internal static unsafe partial class LxcInterop
{
    private const string Library = "lxc";

    static LxcInterop()
    {
        NativeLibrary.SetDllImportResolver(typeof(LxcInterop).Assembly, static (name, assembly, path) =>
            name == Library && NativeLibrary.TryLoad("liblxc.so.1", assembly, path, out var handle) ? handle : IntPtr.Zero);
    }

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial LxcContainerStruct* lxc_container_new(string name, string configPath);

    [LibraryImport(Library)]
    internal static partial int lxc_container_put(LxcContainerStruct* container);

    [LibraryImport(Library)]
    internal static partial byte* lxc_get_version();

    /// <summary>The leading part of <c>struct lxc_container</c>, up to the last member Berth calls.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct LxcContainerStruct
    {
        public byte* name;
        public byte* configfile;
        public byte* pidfile;
        public nint slock;
        public nint privlock;
        public int numthreads;
        public nint lxc_conf;
        public byte* error_string;
        public int error_num;
        public byte daemonize;
        public byte* config_path;
        public delegate* unmanaged<LxcContainerStruct*, byte> is_defined;
        public delegate* unmanaged<LxcContainerStruct*, byte*> state;
        public delegate* unmanaged<LxcContainerStruct*, byte> is_running;
        public delegate* unmanaged<LxcContainerStruct*, byte> freeze;
        public delegate* unmanaged<LxcContainerStruct*, byte> unfreeze;
        public delegate* unmanaged<LxcContainerStruct*, int> init_pid;
        public delegate* unmanaged<LxcContainerStruct*, byte*, byte> load_config;
        public nint start;
        public nint startl;
        public delegate* unmanaged<LxcContainerStruct*, byte> stop;
        public nint want_daemonize;
        public nint want_close_all_fds;
        public nint config_file_name;
        public delegate* unmanaged<LxcContainerStruct*, byte*, int, byte> wait;
        public delegate* unmanaged<LxcContainerStruct*, byte*, byte*, byte> set_config_item;
        public nint destroy;
        public nint save_config;
        public nint create;
        public nint createl;
        public nint rename;
        public nint reboot;
        public delegate* unmanaged<LxcContainerStruct*, int, byte> shutdown;
        public nint clear_config;
        public nint clear_config_item;
        public delegate* unmanaged<LxcContainerStruct*, byte*, byte*, int, int> get_config_item;
        public nint get_running_config_item;
        public nint get_keys;
        public nint get_interfaces;
        public nint get_ips;
        public delegate* unmanaged<LxcContainerStruct*, byte*, byte*, int, int> get_cgroup_item;
        public delegate* unmanaged<LxcContainerStruct*, byte*, byte*, byte> set_cgroup_item;
    }
}
