#!/usr/bin/env bash
# Regenerates the encoded audio fixtures of AudioDecoderTest and AudioFuzzTest from ../shared/audio/jfk.wav
# (16 kHz mono 16-bit, 11.0 s). Committed files were made by: ffmpeg 5.1.9-0+deb12u1 (Debian 12), with
# libmp3lame, libvorbis and libopus; another ffmpeg makes different bytes, which the tests tolerate
# (they compare decoded samples with jfk.wav, and whisper-cli with the library on the same file).
#
#   jfk.mp3 / jfk.flac / jfk.ogg   the whole clip: MP3 48 kbit/s, FLAC 16-bit, Ogg Vorbis -q 2
#   seed.{wav,mp3,flac,ogg}        1 s of it, the seeds the fuzz test mutates
#   unsupported.{opus,m4a,aac,webm,aiff}  1 s in each format we recognise only to refuse
set -euo pipefail
cd "$(dirname "$0")"
src=${1:-../../../../../../shared/audio/jfk.wav}
[ -f "$src" ] || { echo "jfk.wav not found at $src (pass its path)" >&2; exit 1; }
ff() { ffmpeg -hide_banner -loglevel error -y -i "$src" -map_metadata -1 -fflags +bitexact -flags:a +bitexact \
       -ac 1 -ar 16000 "$@"; }

ff -c:a libmp3lame -b:a 48k jfk.mp3
ff -c:a flac -compression_level 12 jfk.flac
ff -c:a libvorbis -q:a 2 jfk.ogg

# 1 s from 1.0 s on (speech, not the leading silence)
ff -ss 1 -t 1 -c:a pcm_s16le seed.wav
ff -ss 1 -t 1 -c:a libmp3lame -b:a 32k seed.mp3
ff -ss 1 -t 1 -c:a flac -compression_level 12 seed.flac
ff -ss 1 -t 1 -c:a libvorbis -q:a 0 seed.ogg

ff -ss 1 -t 1 -c:a libopus -b:a 16k unsupported.opus
ff -ss 1 -t 1 -c:a aac -b:a 24k unsupported.m4a
ff -ss 1 -t 1 -c:a aac -b:a 24k -f adts unsupported.aac
ff -ss 1 -t 1 -c:a libopus -b:a 16k unsupported.webm
ff -ss 1 -t 1 -c:a pcm_s16be unsupported.aiff
ls -l jfk.* seed.* unsupported.*
