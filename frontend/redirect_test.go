package frontend

import (
	"testing"

	"github.com/sentrakreasi/atensi/access"
)

// TestSafeNextStaysOnTheSite: a login's next page is a path of this site or
// the role's home, never a header of its own or another site.
func TestSafeNextStaysOnTheSite(t *testing.T) {
	for _, tt := range []struct {
		next string
		role access.Role
		want string
	}{
		{"/staf/kasus?status=aktif#baris", access.Staff, "/staf/kasus?status=aktif#baris"},
		{"/produk/abc", access.Buyer, "/produk/abc"},
		{"/\r\nX-Injected: 1", access.Buyer, "/akun"},
		{"/%0d%0aX-Injected:%201", access.Buyer, "/akun"},
		{"/?q=%0d%0aX-Injected:%201", access.Buyer, "/akun"},
		{"/\t/evil.example", access.Staff, "/staf/kasus"},
		{"/\\evil.example", access.Seller, "/jual"},
		{"/%5Cevil.example", access.Seller, "/jual"},
		{"//evil.example", access.Admin, "/admin/referensi"},
		{"/%2F/evil.example", access.Buyer, "/akun"},
		{"https://evil.example/", access.Buyer, "/akun"},
		{"javascript:alert(1)", access.Buyer, "/akun"},
		{"evil.example", access.Buyer, "/akun"},
		{"", access.Pendamping, "/jual"},
	} {
		if got := safeNext(tt.next, tt.role); got != tt.want {
			t.Errorf("safeNext(%q, %s) = %q, want %q", tt.next, tt.role, got, tt.want)
		}
	}
}
