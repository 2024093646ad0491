// A self-signed certificate for images.example.test (P-256, 100 years), for tests only: the key
// is public on purpose. Made with: openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1
// -nodes -days 36500 -subj /CN=images.example.test -addext subjectAltName=DNS:images.example.test
export const TEST_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgTRBUEm0wXTsgxruN
s2dnv3M/EsPnSBMSfooo8Vq/e/ChRANCAAQsC7QartssL2eirNhvazBnRS4NZQZA
iE0bgagT4AqQI3NTfx/WV2aEaj6w0C+tvt1JUn/FZ8ExEhSF8E5F0C0f
-----END PRIVATE KEY-----
`;

export const TEST_CERT = `-----BEGIN CERTIFICATE-----
MIIBszCCAVmgAwIBAgIUTRAUSDUzJB+bpSqU0PTT7EjvtpAwCgYIKoZIzj0EAwIw
HjEcMBoGA1UEAwwTaW1hZ2VzLmV4YW1wbGUudGVzdDAgFw0yNjExMjIwMzE1MzJa
GA8yMTI2MTAyOTAzMTUzMlowHjEcMBoGA1UEAwwTaW1hZ2VzLmV4YW1wbGUudGVz
dDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABCwLtBqu2ywvZ6Ks2G9rMGdFLg1l
BkCITRuBqBPgCpAjc1N/H9ZXZoRqPrDQL62+3UlSf8VnwTESFIXwTkXQLR+jczBx
MB0GA1UdDgQWBBRqe7chgRYNrFoVUE+VHzF+r39YTzAfBgNVHSMEGDAWgBRqe7ch
gRYNrFoVUE+VHzF+r39YTzAPBgNVHRMBAf8EBTADAQH/MB4GA1UdEQQXMBWCE2lt
YWdlcy5leGFtcGxlLnRlc3QwCgYIKoZIzj0EAwIDSAAwRQIhANWC/nMwR/sOYaEX
0F+7IbjSXuOSdfixJLLGOtgnTf0TAiBWC3x5wiOFYSHxGsockY0oQCWWkvtirwgf
onxCRQ+3Iw==
-----END CERTIFICATE-----
`;
