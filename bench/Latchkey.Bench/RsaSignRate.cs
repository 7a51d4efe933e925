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
            // Keys are generated before the clock starts: on a busy machine one 2048-bit generation can take seconds.
            var keys = Enumerable.Range(0, threads).Select(_ => RSA.Create(2048)).ToArray();
            foreach (var key in keys)
            {
                key.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            }

            long count = 0;
            var stopwatch = Stopwatch.StartNew();
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
            {
                var rsa = keys[i];
                long local = 0;
                while (stopwatch.Elapsed < duration)
                {
                    rsa.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                    local++;
                }

                Interlocked.Add(ref count, local);
            });
            Console.WriteLine($"rsa-sign threads={threads} per_second={count / stopwatch.Elapsed.TotalSeconds:F0}");
            foreach (var key in keys)
            {
                key.Dispose();
            }
        }
    }
}
