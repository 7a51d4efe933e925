using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;

namespace Latchkey.Bench;

/// <summary>Why TokenHash keeps one IncrementalHash per thread: the one-shot API builds a digest context per call.</summary>
[MemoryDiagnoser]
public class HashBenchmarks
{
    private readonly byte[] _token = Encoding.ASCII.GetBytes(new string('a', 900));
    private readonly byte[] _digest = new byte[32];
    private readonly IncrementalHash _incremental = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    [Benchmark(Baseline = true)]
    public int OneShot() => SHA256.HashData(_token, _digest);

    [Benchmark]
    public int Reused()
    {
        _incremental.AppendData(_token);
        return _incremental.GetHashAndReset(_digest);
    }
}
