using System.Security.Cryptography;
using Orchestrator.Core.Storage;

namespace Orchestrator.Actors.Storage;

/// <summary>A random key in a file only its owner can read (0600), created on first use and never rewritten.</summary>
public static class SecretFile
{
    public const int KeyLength = 32;

    /// <summary>The key in <paramref name="path"/>; a new random one is written (exclusively) when the file is missing.</summary>
    /// <exception cref="InvalidDataException">The file exists but does not hold a key.</exception>
    public static byte[] ReadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            var key = RandomNumberGenerator.GetBytes(KeyLength);
            try
            {
                using var stream = new FileStream(path, PrivateFile.Options(FileMode.CreateNew, FileAccess.Write));
                stream.Write(key);
                stream.Flush(flushToDisk: true);
                return key;
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first: use theirs.
            }
        }
        var stored = File.ReadAllBytes(path);
        return stored.Length == KeyLength
            ? stored
            : throw new InvalidDataException($"{path} does not hold a {KeyLength}-byte key ({stored.Length} bytes)");
    }
}
