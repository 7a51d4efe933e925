using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Latchkey.Bench;

/// <summary>Raw RSA-2048 PKCS#1 SHA-256 signatures per second on this machine: the ceiling for minting tokens.</summary>
internal static class RsaSignRate
{
    public static void Run(TimeSpan duration)
    {
        var input = Encoding.ASCII.GetBytes(new string('a', 600));
        foreach (var threads in new[] { 1, Environment.ProcessorCount })
        {
            long count = 0;
            var stopwatch = Stopwatch.StartNew();
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ =>
            {
                using var rsa = RSA.Create(2048);
                long local = 0;
                while (stopwatch.Elapsed < duration)
                {
                    rsa.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                    local++;
                }

                Interlocked.Add(ref count, local);
            });
            Console.WriteLine($"rsa-sign threads={threads} per_second={count / stopwatch.Elapsed.TotalSeconds:F0}");
        }
    }
}
