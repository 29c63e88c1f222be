using Personalize.Channels;

namespace Personalize.Consent;

/// <summary>Where a consent record came from.</summary>
public enum ConsentSourceKind
{
    /// <summary>A web or app form, for example the preference center or a sign-up form.</summary>
    Form = 0,

    /// <summary>A reply on a channel, for example "STOP" by SMS or an unsubscribe link in an email.</summary>
    Channel = 1,

    /// <summary>An agent recorded it, for example during a call or in a shop.</summary>
    Agent = 2,

    /// <summary>Imported from another system.</summary>
    Import = 3,

    /// <summary>Recorded by the host's own code through an API.</summary>
    Api = 4,
}
