using System.Buffers;
using Personalize.Channels;
using Personalize.Channels.Email;

namespace Personalize.Delivery.Sinks;

/// <summary>
/// A file outbox: one <c>.eml</c> file per email in <c>email/</c>, named by idempotency key and written atomically
/// (flushed to disk, then renamed into place), and one JSON Lines file per other channel (<c>sms.jsonl</c>,
/// <c>push.jsonl</c>, <c>in_app.jsonl</c>, <c>direct_mail.jsonl</c>, <c>phone.jsonl</c>, host channels by name),
/// appended one whole line per message. A key the outbox holds is never written again, whichever process or sink
/// instance wrote it. Thread-safe. Dispose it to flush and close the JSON Lines files.
/// </summary>
/// <remarks>
/// <para><b>Several writers.</b> Every write takes an exclusive lock on <c>.outbox.lock</c> in the directory, reads
/// the lines other processes (or other sink instances) appended since its last look, and only then writes at the end of
/// the file: two runs writing into one outbox at the same time never duplicate a key or interleave two lines.</para>
/// <para><b>Crashes.</b> A crash mid-line leaves a torn last line: the next writer cuts it off (the message was never
/// written; its key is not in the outbox, so it is written again whole). An email is renamed into place only after it
/// is on disk, and a rename never replaces an email another writer put there first; unfinished emails of a writer that
/// died are deleted by the next writer (they never counted as written).</para>
/// <para><b>Durability.</b> Every line is handed to the operating system before <see cref="WriteAsync"/> returns (a
/// crash of the process loses nothing reported written). <see cref="FlushAsync"/> flushes the files to disk and the
/// directories whose entries changed (a new file, an email's rename), so they survive a power failure; a send run with
/// a store calls it before it records messages as delivered. Without it, files are flushed every <see cref="SyncEvery"/>
/// lines and on <see cref="Dispose"/>. Each email is flushed to disk before <see cref="WriteAsync"/> returns, unless
/// <see cref="FlushEmailsInGroups"/> is set. A reader must open a JSON Lines file with
/// <see cref="FileShare.ReadWrite"/> while the sink may write to it.</para>
/// </remarks>
public sealed class FileOutboxSink : IFlushableMessageSink, IDisposable
{
    /// <summary>The default of <see cref="SyncEvery"/>.</summary>
    public const int DefaultSyncEvery = 64;

    /// <summary>The name of the lock file every writer holds while it writes.</summary>
    public const string LockFileName = ".outbox.lock";

    private const string TempSuffix = ".tmp";
    private const string PendingPrefix = ".pending-";
    private const string OwnerFileName = ".owner";
    private const int MaxPooledBuffer = 256 * 1024;

    // How long a write waits for another process's write to the same outbox: 30 s in 1 ms steps.
    private const int LockAttempts = 30_000;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, JsonLinesFile> _files = new(StringComparer.Ordinal);

    // How many bytes of each JSON Lines file (by path) the keys were read from.
    private readonly Dictionary<string, long> _scanned = new(StringComparer.Ordinal);
    private ArrayBufferWriter<byte> _buffer = new(4096);
    private HashSet<string>? _keys;
    private DateTime _directoryStamp;
    private bool _emailDirectoryDirty;
    private bool _directoryDirty;
    private readonly List<string> _pendingEmails = [];
    private int _emailsRenamed;
    private string? _pendingDirectory;
    private FileStream? _pendingOwner;
    private bool _disposed;

    /// <summary>Creates the sink; the directory is created on first write.</summary>
    /// <param name="directory">The outbox directory.</param>
    public FileOutboxSink(string directory)
        : this(directory, DefaultSyncEvery)
    {
    }

    /// <summary>Creates the sink; the directory is created on first write.</summary>
    /// <param name="directory">The outbox directory.</param>
    /// <param name="syncEvery">How many lines (or emails) go between flushes to disk when nobody calls <see cref="FlushAsync"/>; 1 flushes every one (the slowest, the most durable).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="syncEvery"/> is less than 1.</exception>
    public FileOutboxSink(string directory, int syncEvery)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentOutOfRangeException.ThrowIfLessThan(syncEvery, 1);
        Directory = Path.GetFullPath(directory);
        SyncEvery = syncEvery;
    }

    /// <summary>How many lines (or emails) go between flushes to disk when nobody calls <see cref="FlushAsync"/> (every line reaches the operating system at once).</summary>
    /// <value>The default value is <see cref="DefaultSyncEvery"/> (64).</value>
    public int SyncEvery { get; }

    /// <summary>The outbox directory (full path).</summary>
    public string Directory { get; }

    /// <summary>
    /// Gets whether emails are flushed to disk in groups instead of one by one: an email waits in the writer's own
    /// <c>email/.pending-…</c> folder and appears in <c>email/</c> when its group is flushed (every <see cref="SyncEvery"/>
    /// emails, on <see cref="FlushAsync"/> and on <see cref="Dispose"/>) — one flush of the file system per group instead
    /// of one per email (an fsync costs milliseconds). Use it when the caller flushes, as a send run with a store does
    /// (it flushes before it marks messages delivered); a process that dies first loses the pending emails, which such a
    /// run hands over again.
    /// </summary>
    /// <value>The default value is <see langword="false"/>: each email is on disk and in place before <see cref="WriteAsync"/> returns.</value>
    public bool FlushEmailsInGroups { get; init; }

    /// <summary>The directory of the <c>.eml</c> files.</summary>
    public string EmailDirectory => Path.Combine(Directory, "email");

    /// <summary>The path of a channel's JSON Lines file.</summary>
    /// <param name="channel">A channel other than email.</param>
    /// <returns>For example <c>…/sms.jsonl</c>.</returns>
    public string JsonLinesPath(Channel channel) => Path.Combine(Directory, channel.Name + ".jsonl");

    /// <summary>The path of an email's <c>.eml</c> file.</summary>
    /// <param name="idempotencyKey">The message's key.</param>
    /// <returns>For example <c>…/email/pz2_….eml</c> (or <c>pz1_….eml</c> for a key of the earlier format).</returns>
    public string EmailPath(string idempotencyKey) => Path.Combine(EmailDirectory, idempotencyKey + ".eml");

    private string LockPath => Path.Combine(Directory, LockFileName);

    /// <inheritdoc />
    public async ValueTask WriteAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!IdempotencyKey.IsWellFormed(message.IdempotencyKey))
        {
            throw new ArgumentException($"'{message.IdempotencyKey}' is not an idempotency key made by IdempotencyKey.Create; the outbox names files by it.", nameof(message));
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var directoryLock = await LockAsync(cancellationToken).ConfigureAwait(false);
            var keys = CatchUp();
            if (keys.Contains(message.IdempotencyKey))
            {
                return;
            }

            var buffer = _buffer.Capacity <= MaxPooledBuffer ? _buffer : _buffer = new ArrayBufferWriter<byte>(4096);
            buffer.ResetWrittenCount();
            if (message.Channel == Channel.Email)
            {
                if (!File.Exists(EmailPath(message.IdempotencyKey)))
                {
                    MimeEmailWriter.Write(message, buffer);
                    if (FlushEmailsInGroups)
                    {
                        WritePendingEmail(message.IdempotencyKey, buffer.WrittenSpan);
                    }
                    else
                    {
                        WriteEml(message.IdempotencyKey, buffer.WrittenSpan);
                    }
                }
            }
            else
            {
                OutboxJson.WriteLine(message, buffer);
                Append(message.Channel, buffer.WrittenSpan);
            }

            keys.Add(message.IdempotencyKey);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Gets <see langword="true"/>: a write puts the message's bytes in the outbox files before it completes and keeps only the key, so a send run reuses the arrays of the email bodies it renders for this sink.</summary>
    public bool ReleasesMessageAfterWrite => true;

    /// <inheritdoc />
    public async ValueTask<bool> ContainsAsync(string idempotencyKey, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_keys is { } keys)
            {
                // Keys other writers added since the last write are found by the write itself, which checks again under the lock.
                return keys.Contains(idempotencyKey);
            }

            ObjectDisposedException.ThrowIf(_disposed, this);
            using var directoryLock = await LockAsync(cancellationToken).ConfigureAwait(false);
            return CatchUp().Contains(idempotencyKey);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            FlushToDisk();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Flushes the JSON Lines files and the directories to disk and closes the files.</summary>
    public void Dispose()
    {
        _gate.Wait();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            try
            {
                FlushToDisk();
            }
            finally
            {
                foreach (var file in _files.Values)
                {
                    file.Stream.Dispose();
                }

                _files.Clear();
                if (_keys is null)
                {
                    SweepWithoutWaiting();
                }

                if (_pendingOwner is not null && _pendingDirectory is not null)
                {
                    _pendingOwner.Dispose();
                    try
                    {
                        System.IO.Directory.Delete(_pendingDirectory, recursive: true);
                    }
                    catch (IOException)
                    {
                        // Left for the next writer, which deletes folders nobody owns.
                    }
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private void FlushToDisk()
    {
        foreach (var file in _files.Values)
        {
            if (file.Unsynced > 0)
            {
                file.Stream.Flush(flushToDisk: true);
                file.Unsynced = 0;
            }
        }

        CommitEmails();
        FlushDirectories();
    }

    private void FlushDirectories()
    {
        if (_emailDirectoryDirty)
        {
            DirectorySync.Flush(EmailDirectory);
            _emailDirectoryDirty = false;
        }

        if (_directoryDirty)
        {
            DirectorySync.Flush(Directory);
            _directoryDirty = false;
        }
    }

    /// <summary>
    /// Flushes the pending emails to disk as a group (one <c>syncfs</c> on Linux, else one flush per file), then renames
    /// each into <c>email/</c> (never over an email another writer put there first), then flushes the directory.
    /// </summary>
    private void CommitEmails()
    {
        if (_pendingEmails.Count == 0)
        {
            return;
        }

        var pending = _pendingDirectory!;
        if (!DirectorySync.TryFlushFileSystem(pending))
        {
            foreach (var key in _pendingEmails)
            {
                using var stream = new FileStream(Path.Combine(pending, key + ".eml"), FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0, FileOptions.None);
                stream.Flush(flushToDisk: true);
            }
        }

        foreach (var key in _pendingEmails)
        {
            var from = Path.Combine(pending, key + ".eml");
            try
            {
                File.Move(from, EmailPath(key), overwrite: false);
            }
            catch (IOException) when (File.Exists(EmailPath(key)))
            {
                // Another writer delivered this key first: keep its file, never duplicate.
                File.Delete(from);
            }
        }

        _pendingEmails.Clear();
        _emailDirectoryDirty = true;
    }

    /// <summary>Takes the outbox's write lock (an exclusive lock on the lock file), waiting while another writer holds it.</summary>
    private async ValueTask<FileStream> LockAsync(CancellationToken cancellationToken)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.CreateDirectory(Directory);
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1, FileOptions.None);
            }
            catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
            {
                if (attempt >= LockAttempts)
                {
                    throw new IOException($"The outbox {Directory} stayed locked by another writer ({LockFileName}) for 30 seconds.", ex);
                }

                await Task.Delay(1, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void WriteEml(string key, ReadOnlySpan<byte> bytes)
    {
        if (!System.IO.Directory.Exists(EmailDirectory))
        {
            System.IO.Directory.CreateDirectory(EmailDirectory);
            _directoryDirty = true;
        }

        var final = EmailPath(key);
        var temp = final + TempSuffix;

        // One synchronous write of the whole message (no buffer, no async hop), flushed to disk before the rename.
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.None))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        try
        {
            File.Move(temp, final, overwrite: false);
        }
        catch (IOException) when (File.Exists(final))
        {
            File.Delete(temp); // another writer delivered this key first
            return;
        }

        _emailDirectoryDirty = true;
        if (++_emailsRenamed >= SyncEvery)
        {
            _emailsRenamed = 0;
            FlushDirectories();
        }
    }

    /// <summary>Writes an email into this writer's pending folder (made on first use, owned by a lock held for the sink's life).</summary>
    private void WritePendingEmail(string key, ReadOnlySpan<byte> bytes)
    {
        if (_pendingDirectory is null)
        {
            if (!System.IO.Directory.Exists(EmailDirectory))
            {
                System.IO.Directory.CreateDirectory(EmailDirectory);
                _directoryDirty = true;
            }

            var directory = Path.Combine(EmailDirectory, PendingPrefix + Guid.NewGuid().ToString("N"));
            System.IO.Directory.CreateDirectory(directory);
            _pendingOwner = new FileStream(Path.Combine(directory, OwnerFileName), FileMode.Create, FileAccess.ReadWrite, FileShare.None, bufferSize: 1, FileOptions.None);
            _pendingDirectory = directory;
        }

        // One synchronous write of the whole message (no buffer, no async hop); flushed to disk with its group.
        using (var stream = new FileStream(Path.Combine(_pendingDirectory, key + ".eml"), FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.None))
        {
            stream.Write(bytes);
        }

        _pendingEmails.Add(key);
        if (_pendingEmails.Count >= SyncEvery)
        {
            CommitEmails();
            FlushDirectories();
        }
    }

    private void Append(Channel channel, ReadOnlySpan<byte> line)
    {
        var path = JsonLinesPath(channel);
        if (!_files.TryGetValue(path, out var file))
        {
            var existed = File.Exists(path);
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0, FileOptions.None);
            file = new JsonLinesFile(stream, _scanned.GetValueOrDefault(path));
            _files.Add(path, file);
            _scanned[path] = file.Scanned;
            _directoryDirty |= !existed;
        }

        // After the catch-up under the lock, what was scanned is the whole file: write at its end.
        var start = _scanned[path];
        try
        {
            file.Stream.Position = start;
            file.Stream.Write(line);
        }
        catch
        {
            // A failed write may leave part of a line: cut it off now, so the file ends with a whole line.
            try
            {
                file.Stream.SetLength(start);
            }
            catch (IOException)
            {
                // The next writer finds the torn line and cuts it off.
            }

            throw;
        }

        _scanned[path] = start + line.Length;
        if (++file.Unsynced >= SyncEvery)
        {
            file.Stream.Flush(flushToDisk: true);
            file.Unsynced = 0;
            FlushDirectories();
        }
    }

    /// <summary>
    /// Brings the keys up to date under the lock: on first use every file of the outbox (deleting unfinished emails),
    /// later the lines appended to the JSON Lines files since the last look, and any new JSON Lines file. A torn last
    /// line (a writer died mid-line; nobody is writing now, the lock is held) is cut off.
    /// </summary>
    private HashSet<string> CatchUp()
    {
        var keys = _keys;
        if (keys is null)
        {
            keys = new HashSet<string>(StringComparer.Ordinal);
            if (System.IO.Directory.Exists(EmailDirectory))
            {
                foreach (var file in System.IO.Directory.EnumerateFiles(EmailDirectory))
                {
                    if (file.EndsWith(TempSuffix, StringComparison.Ordinal))
                    {
                        File.Delete(file); // a write of an earlier release that never completed its rename
                    }
                    else if (file.EndsWith(".eml", StringComparison.Ordinal))
                    {
                        keys.Add(Path.GetFileNameWithoutExtension(file));
                    }
                }

                DeleteAbandonedPendingFolders();
            }

            _keys = keys;
        }

        var stamp = System.IO.Directory.GetLastWriteTimeUtc(Directory);
        if (stamp != _directoryStamp)
        {
            _directoryStamp = stamp;
            foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "*.jsonl"))
            {
                _scanned.TryAdd(path, 0);
            }
        }

        foreach (var path in _scanned.Keys.ToArray())
        {
            ReadNewLines(path, keys);
        }

        return keys;
    }

    /// <summary>
    /// For a sink disposed without ever writing or looking (a run that found nothing to send): deletes dead writers'
    /// pending folders if the outbox's lock is free at once, so a process killed after its last flush leaves no folder
    /// behind for long. Never waits: a busy outbox is swept by its next writer.
    /// </summary>
    private void SweepWithoutWaiting()
    {
        if (!System.IO.Directory.Exists(EmailDirectory))
        {
            return;
        }

        try
        {
            using (new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1, FileOptions.None))
            {
                DeleteAbandonedPendingFolders();
            }
        }
        catch (IOException)
        {
            // Locked by another writer, or a folder that could not go: left for the next writer, which sweeps again.
        }
    }

    /// <summary>Deletes the pending folders of writers that died (nobody holds their owner lock): their emails never counted as written.</summary>
    private void DeleteAbandonedPendingFolders()
    {
        foreach (var folder in System.IO.Directory.EnumerateDirectories(EmailDirectory, PendingPrefix + "*"))
        {
            if (string.Equals(folder, _pendingDirectory, StringComparison.Ordinal))
            {
                continue;
            }

            try
            {
                using (new FileStream(Path.Combine(folder, OwnerFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1, FileOptions.None))
                {
                }
            }
            catch (IOException)
            {
                continue; // a live writer's folder
            }

            System.IO.Directory.Delete(folder, recursive: true);
        }
    }

    private void ReadNewLines(string path, HashSet<string> keys)
    {
        var scanned = _scanned[path];
        var length = File.Exists(path) ? new FileInfo(path).Length : 0;
        if (length == scanned)
        {
            return;
        }

        if (length < scanned)
        {
            scanned = 0; // cut shorter by someone: read it again
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0, FileOptions.None);
        var total = stream.Length;
        stream.Position = scanned;

        // Read in blocks; a line that runs past a block is carried to the next.
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            var held = 0;
            var position = scanned;
            while (position < total)
            {
                if (held == buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, held).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var read = stream.Read(buffer, held, (int)Math.Min(buffer.Length - held, total - position));
                if (read == 0)
                {
                    break;
                }

                position += read;
                var span = buffer.AsSpan(0, held + read);
                var complete = span.LastIndexOf((byte)'\n') + 1;
                var rest = span[..complete];
                while (rest.Length > 0)
                {
                    var end = rest.IndexOf((byte)'\n');
                    if (end > 0 && OutboxJson.ReadKey(rest[..end]) is { } key)
                    {
                        keys.Add(key);
                    }

                    rest = rest[(end + 1)..];
                }

                scanned += complete;
                held = span.Length - complete;
                span[complete..].CopyTo(buffer);
            }

            if (held > 0)
            {
                // A torn last line: the writer died mid-line (nobody is writing, the lock is held). Cut it off.
                stream.SetLength(scanned);
                stream.Flush(flushToDisk: true);
            }

            _scanned[path] = scanned;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
