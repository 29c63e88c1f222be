using System.Collections.Concurrent;
using System.Reflection;

namespace Personalize.Templates.Runtime;

/// <summary>
/// How templates see the members of .NET objects in one set of <see cref="TemplateOptions"/>: the renamer, the host's
/// member filter and the deny-list switch. One instance per distinct combination (so member accessors are cached per
/// policy and call sites can compare policies by reference).
/// </summary>
internal sealed class MemberPolicy
{
    private static readonly ConcurrentDictionary<(Func<string, string> Renamer, Func<MemberInfo, bool>? Filter, UnsafeHostAccess Access), MemberPolicy> Policies = new();

    private MemberPolicy(Func<string, string> renamer, Func<MemberInfo, bool>? filter, UnsafeHostAccess access)
    {
        Renamer = renamer;
        Filter = filter;
        ApplyDenyList = (access & UnsafeHostAccess.ReadDeniedMembers) == 0;
        AllowWrites = (access & UnsafeHostAccess.WriteHostObjects) != 0;
    }

    /// <summary>Gets the policy of the default options (snake_case, no filter, deny-list on, read-only).</summary>
    public static MemberPolicy Default { get; } = For(MemberRenamers.SnakeCase, null, UnsafeHostAccess.None);

    public Func<string, string> Renamer { get; }

    public Func<MemberInfo, bool>? Filter { get; }

    public bool ApplyDenyList { get; }

    public bool AllowWrites { get; }

    public static MemberPolicy For(TemplateOptions options) => For(options.MemberRenamer, options.MemberFilter, options.UnsafeHostAccess);

    public static MemberPolicy For(Func<string, string> renamer, Func<MemberInfo, bool>? filter, UnsafeHostAccess access) =>
        Policies.GetOrAdd((renamer, filter, access), static key => new MemberPolicy(key.Renamer, key.Filter, key.Access));

    /// <summary>Gets whether templates may read <paramref name="member"/> (a public instance property or field of a host type).</summary>
    public bool IsVisible(MemberInfo member, Type memberType) =>
        (!ApplyDenyList || (!DeniedMembers.IsDeniedType(member.DeclaringType!) && !DeniedMembers.IsDeniedType(memberType)))
        && (Filter is null || Filter(member));
}
