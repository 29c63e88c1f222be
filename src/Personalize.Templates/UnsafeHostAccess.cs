namespace Personalize.Templates;

/// <summary>
/// What a host explicitly allows templates to do with its .NET objects beyond the safe default (read public
/// properties and fields of plain data, minus the deny-list of <see cref="TemplateOptions.MemberFilter"/>'s remarks).
/// Every flag widens what an untrusted template can reach: set one only for templates you write yourself.
/// </summary>
[Flags]
public enum UnsafeHostAccess
{
    /// <summary>The default: host objects are read-only and the deny-list applies.</summary>
    None = 0,

    /// <summary>
    /// Templates may assign public settable properties of host objects and entries of host dictionaries and lists
    /// (<c>{{ model.account.email = "x" }}</c> changes the host's object). Without it such an assignment is a render
    /// error, and assignment creates template variables only.
    /// </summary>
    WriteHostObjects = 1,

    /// <summary>
    /// The built-in deny-list (reflection, delegates, exceptions, streams, files, processes, threads, the engine's own
    /// objects) is not applied; only <see cref="TemplateOptions.MemberFilter"/> decides which members templates read.
    /// </summary>
    ReadDeniedMembers = 2,
}
