namespace Personalize.Consent;

/// <summary>The current consent for one scope, with the record that decided it.</summary>
public readonly record struct ConsentState
{
    internal ConsentState(ConsentStatus status, ConsentRecord? record)
    {
        Status = status;
        Record = record;
    }

    /// <summary>Granted, withdrawn, pending or none.</summary>
    public ConsentStatus Status { get; }

    /// <summary>The deciding record (for <see cref="ConsentStatus.Pending"/>, the pending grant); <see langword="null"/> for <see cref="ConsentStatus.None"/>.</summary>
    public ConsentRecord? Record { get; }

    /// <summary>Whether consent is given.</summary>
    public bool IsGranted => Status == ConsentStatus.Granted;

    /// <summary>When the deciding record took effect; <see cref="DateTimeOffset.MinValue"/> for none.</summary>
    public DateTimeOffset EffectiveAt => Record?.EffectiveAt ?? DateTimeOffset.MinValue;

    /// <summary>No record.</summary>
    public static ConsentState None => default;
}
