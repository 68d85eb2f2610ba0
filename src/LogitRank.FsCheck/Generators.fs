/// FsCheck generators for LogitRank.Verified (filled in by the generators work item).
module LogitRank.FsCheck.Generators

open FsCheck
open FsCheck.FSharp
open LogitRank.Sequences

/// A prefix over an alphabet of `k` tokens with length in `0..maxLength`.
let prefix (k: int) (maxLength: int) : Gen<Prefix> =
    gen {
        let! n = Gen.choose (0, maxLength)
        let! tokens = Gen.arrayOfLength n (Gen.choose (0, k - 1))
        return Prefix.From tokens
    }
