using System.Runtime.InteropServices;

namespace Berth.Daemon.Native;

/// <summary>Owns one <c>struct lxc_container*</c> reference; releasing drops it with <c>lxc_container_put</c>.</summary>
internal sealed unsafe class LxcContainerHandle : SafeHandle
{
    public LxcContainerHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    internal LxcInterop.LxcContainerStruct* Pointer => (LxcInterop.LxcContainerStruct*)handle;

    internal static LxcContainerHandle Open(string name, string lxcPath)
    {
        var result = new LxcContainerHandle();
        result.SetHandle((IntPtr)LxcInterop.lxc_container_new(name, lxcPath));
        if (result.IsInvalid)
        {
            result.Dispose();
            throw new LxcException($"liblxc could not open container '{name}' in {lxcPath}");
        }

        return result;
    }

    protected override bool ReleaseHandle()
    {
        LxcInterop.lxc_container_put((LxcInterop.LxcContainerStruct*)handle);
        return true;
    }
}
