module LogitRank.Properties.SequenceProperties

open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open LogitRank.Sequences

[<SeededProperty(Runs = 200)>]
let ``prefix equality and hash agree with token equality`` (a: int list) (b: int list) =
    let a = a |> List.map abs
    let b = b |> List.map abs
    let pa = Prefix.From a
    let pb = Prefix.From b
    (pa = pb) = (a = b) && (a <> b || pa.GetHashCode() = pb.GetHashCode())
