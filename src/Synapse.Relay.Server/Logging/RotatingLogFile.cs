namespace Synapse.Relay.Logging;

/// <summary>
/// A log file rotated like Python's <c>RotatingFileHandler</c>: before a record would bring a non-empty file to
/// <c>max_file_size</c> bytes or more, <c>name.log.(N-1)</c> … <c>name.log.1</c> move up one, <c>name.log</c> becomes
/// <c>name.log.1</c>, and a new file starts; the oldest beyond <c>backup_count</c> is overwritten. With
/// <c>backup_count</c> 0 the file is truncated instead. Not thread safe: <see cref="RelayLog"/> serializes calls.
/// </summary>
internal sealed class RotatingLogFile : IDisposable
{
    private readonly long _maxBytes;
    private readonly int _backupCount;
    private FileStream _stream;
    private long _size;

    public RotatingLogFile(string path, long maxBytes, int backupCount)
    {
        Path = System.IO.Path.GetFullPath(path);
        _maxBytes = maxBytes;
        _backupCount = backupCount;
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        _stream = Open(FileMode.Append);
        _size = _stream.Length;
    }

    /// <summary>The full path of the current file.</summary>
    public string Path { get; }

    /// <summary>Writes one record (with its newline), rotating first when it would fill the file.</summary>
    public void Write(ReadOnlySpan<byte> record)
    {
        if (_maxBytes > 0 && _size > 0 && _size + record.Length >= _maxBytes)
        {
            Rollover();
        }

        _stream.Write(record);
        _stream.Flush();
        _size += record.Length;
    }

    public void Dispose() => _stream.Dispose();

    private void Rollover()
    {
        _stream.Dispose();
        var truncate = _backupCount == 0;
        if (!truncate)
        {
            try
            {
                ShiftBackups();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The file could not be moved aside: keep appending to it rather than lose records.
            }
        }

        _stream = Open(truncate ? FileMode.Create : FileMode.Append);
        _size = _stream.Length;
    }

    private void ShiftBackups()
    {
        for (var i = _backupCount - 1; i >= 1; i--)
        {
            var source = $"{Path}.{i}";
            if (File.Exists(source))
            {
                File.Move(source, $"{Path}.{i + 1}", overwrite: true);
            }
        }

        File.Move(Path, Path + ".1", overwrite: true);
    }

    private FileStream Open(FileMode mode) =>
        new(Path, mode, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 4096);
}
