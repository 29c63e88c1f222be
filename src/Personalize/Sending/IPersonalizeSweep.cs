namespace Personalize.Sending;

/// <summary>
/// Work that completes what a crash left half done, run now and then beside the sends: for example the preference
/// center's double opt-in confirmations whose request was recorded but whose message was not
/// (<c>PreferenceCenter.SendMissingConfirmationsAsync</c>). A package registers its sweep as an
/// <see cref="IPersonalizeSweep"/> service; the hosted worker (<c>AddPersonalizeWorker</c>) runs every registered sweep
/// in its first pass and then every <c>PersonalizeWorkerOptions.SweepInterval</c>. A sweep must be safe to run at any
/// time, twice, and beside the work it completes (it does nothing twice).
/// </summary>
public interface IPersonalizeSweep
{
    /// <summary>Gets the sweep's name for logs, for example <c>double-opt-in-confirmations</c>.</summary>
    string Name { get; }

    /// <summary>Completes what was left half done.</summary>
    /// <param name="cancellationToken">Stops the sweep after the item in hand.</param>
    /// <returns>How many items it completed (0 when nothing was left).</returns>
    ValueTask<int> SweepAsync(CancellationToken cancellationToken = default);
}
