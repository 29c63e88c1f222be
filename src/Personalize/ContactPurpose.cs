namespace Personalize;

/// <summary>Why a message is sent. Consent is given per purpose, so each purpose is gated separately.</summary>
public enum ContactPurpose
{
    /// <summary>Promotion: offers, news, upsell. Needs an explicit opt-in by default.</summary>
    Marketing = 0,

    /// <summary>Service: order shipped, bill due, claim update. Allowed unless withdrawn by default.</summary>
    Service = 1,

    /// <summary>Relationship: welcome, thank you, anniversary, "we miss you". Needs an explicit opt-in by default.</summary>
    Relationship = 2,
}
