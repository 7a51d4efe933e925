using System.Diagnostics;
using System.Security.Cryptography;

namespace Latchkey.Bench;

/// <summary>
/// Raw password-hash verifications per second at Latchkey's configured cost (ASP.NET Identity v3 format:
/// PBKDF2-HMAC-SHA512, 210,000 iterations, 128-bit salt, 256-bit subkey), on every core: the ceiling for logins.
/// </summary>
internal static class Pbkdf2Rate
{
    public const int Iterations = 210_000;

    public static void Run(TimeSpan duration)
    {
        var threads = Environment.ProcessorCount;
        var password = "bench correct horse battery"u8.ToArray();
        var salt = RandomNumberGenerator.GetBytes(16);
        Rfc2898DeriveBytes.Pbkdf2(password, salt, Iterations, HashAlgorithmName.SHA512, 32);
        long count = 0;
        var stopwatch = Stopwatch.StartNew();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ =>
        {
            long local = 0;
            while (stopwatch.Elapsed < duration)
            {
                Rfc2898DeriveBytes.Pbkdf2(password, salt, Iterations, HashAlgorithmName.SHA512, 32);
                local++;
            }

            Interlocked.Add(ref count, local);
        });
        Console.WriteLine($"pbkdf2-sha512 iterations={Iterations} threads={threads} per_second={count / stopwatch.Elapsed.TotalSeconds:F1}");
    }
}
