namespace Personalize.Tests.Samples;

/// <summary>
/// A console test's own folder (its database, outbox and input files), deleted when the test ends — the set-up the
/// console command tests share.
/// </summary>
public abstract class ConsoleWorkspace : IDisposable
{
    /// <summary>Initializes a new instance of the <see cref="ConsoleWorkspace"/> class.</summary>
    /// <param name="prefix">The folder name's prefix, naming the tests (e.g. <c>pz-store-console</c>).</param>
    protected ConsoleWorkspace(string prefix) => Root = Path.Combine(Path.GetTempPath(), prefix + "-" + Guid.NewGuid().ToString("N"));

    /// <summary>Gets the folder (not created until a test or the console writes into it).</summary>
    protected string Root { get; }

    /// <summary>Gets the outbox folder a run writes into.</summary>
    protected string Outbox => Path.Combine(Root, "outbox");

    /// <summary>Gets the SQLite database file.</summary>
    protected string Database => Path.Combine(Root, "personalize.db");

    /// <inheritdoc/>
    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }

        GC.SuppressFinalize(this);
    }
}
