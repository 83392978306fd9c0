using Berth.Daemon.Access;

namespace Berth.Daemon.Stacks;

/// <summary>The caller of a stack request, kept in its job so the job's steps are checked as that caller's.</summary>
public sealed record StackCallerArgs(string Name, bool IsAdmin, bool IsRoot)
{
    public static StackCallerArgs Of(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return new(caller.Name, caller.IsAdmin, caller.IsRoot);
    }

    public Caller ToCaller() => new() { Name = Name, Role = IsAdmin ? Role.Admin : Role.Member, IsRoot = IsRoot };
}
