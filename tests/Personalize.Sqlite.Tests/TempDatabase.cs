namespace Personalize.Sqlite.Tests;

/// <summary>A folder for one test's database files, deleted at the end.</summary>
internal sealed class TempDatabase : IDisposable
{
    public TempDatabase()
    {
        Directory = Path.Combine(Path.GetTempPath(), "pz-sqlite-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string File => Path.Combine(Directory, "personalize.db");

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A pooled connection may still hold the file on some systems; the temp folder is cleaned up later.
        }
    }
}
