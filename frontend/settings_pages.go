package frontend

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/accounts"
	"github.com/sentrakreasi/atensi/api"
	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/domain"
)

// shopSettingsForm is the delivery settings form as typed; the fee as
// typed too, so "15.000" comes back as it was.
type shopSettingsForm struct {
	Courier, PickupPlace, PickupAddress, PickupHours string
}

// shopSettings shows a shop's courier fee and pick-up place, which buyers
// see at checkout, to those who may change them (access decides).
func (p *Pages) shopSettings(c *fiber.Ctx) error {
	sh, err := p.catalog.ShopForSettings(c.UserContext(), api.Actor(c), strings.Clone(c.Params("id")))
	if err != nil {
		return err
	}
	f := shopSettingsForm{Courier: strconv.FormatInt(int64(sh.CourierFlatIDR), 10), PickupPlace: sh.PickupPlace, PickupAddress: sh.PickupAddress, PickupHours: sh.PickupHours}
	return p.render(c, fiber.StatusOK, "shop_settings", "shopsettings.title", map[string]any{"Shop": sh, "Form": f}, doneFlash(c, "shopsettings.done.", []string{"saved"}))
}

func (p *Pages) setShopSettings(c *fiber.Ctx) error {
	id := strings.Clone(c.Params("id"))
	f := shopSettingsForm{Courier: c.FormValue("courier_flat_idr"), PickupPlace: c.FormValue("pickup_place"),
		PickupAddress: c.FormValue("pickup_address"), PickupHours: c.FormValue("pickup_hours")}
	show := func(status int, v *view) error {
		sh, err := p.catalog.ShopForSettings(c.UserContext(), api.Actor(c), id)
		if err != nil {
			return err
		}
		return p.render(c, status, "shop_settings", "shopsettings.title", map[string]any{"Shop": sh, "Form": f}, v)
	}
	fee, perr := domain.ParseIDR(f.Courier)
	if perr != nil {
		return p.again(c, domain.Invalid("courier_flat_idr", "catalog.shop.courier.range", domain.IDR(1_000_000)), marks{}, show)
	}
	_, err := p.catalog.SetShopSettings(c.UserContext(), api.Actor(c), id, catalog.ShopSettings{CourierFlatIDR: fee,
		PickupPlace: f.PickupPlace, PickupAddress: f.PickupAddress, PickupHours: f.PickupHours})
	if err != nil {
		return p.again(c, err, marks{}, show)
	}
	return c.Redirect("/staf/toko/"+id+"/pengiriman?ok=saved", fiber.StatusSeeOther)
}

// receivingForm is one unit's receiving account form as typed.
type receivingForm struct {
	UnitID, Bank, AccountNo, AccountName string
}

// receivingAccounts lists the units whose receiving account the actor may
// set (an admin's every unit, a supervisor's unit and its LKS), each with
// its form.
func (p *Pages) receivingAccounts(c *fiber.Ctx) error {
	return p.receivingPage(c, fiber.StatusOK, nil, doneFlash(c, "receiving.done.", []string{"saved"}))
}

func (p *Pages) receivingPage(c *fiber.Ctx, status int, failed *receivingForm, v *view) error {
	units, err := p.accounts.ReceivingAccountUnits(c.UserContext(), api.Actor(c))
	if err != nil {
		return err
	}
	return p.render(c, status, "receiving_account", "receiving.title", map[string]any{"Units": units, "Failed": failed}, v)
}

func (p *Pages) setReceivingAccount(c *fiber.Ctx) error {
	f := receivingForm{UnitID: strings.Clone(c.Params("id")), Bank: c.FormValue("bank"), AccountNo: c.FormValue("account_no"), AccountName: c.FormValue("account_name")}
	_, err := p.accounts.SetReceivingAccount(c.UserContext(), api.Actor(c), f.UnitID,
		accounts.ReceivingAccountInput{Bank: f.Bank, AccountNo: f.AccountNo, AccountName: f.AccountName})
	if err != nil {
		return p.again(c, err, marks{}, func(status int, v *view) error { return p.receivingPage(c, status, &f, v) })
	}
	return c.Redirect("/staf/rekening-penerimaan?ok=saved#u-"+f.UnitID, fiber.StatusSeeOther)
}
