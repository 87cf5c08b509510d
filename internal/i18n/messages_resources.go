package i18n

// Messages of resources attached to incidents, search and the plan API.
func init() {
	Register(map[string][2]string{
		"resource.not_found":             {"未找到该资源记录。", "Resource not found."},
		"resource.forbidden":             {"只有本单位值班和领导小组人员可以调整事件的资源。", "Only the duty officers and leading group of the organisation change an incident's resources."},
		"resource.bad_kind":              {"资源类型“%s”无效（单位、网站、专家或装备）。", "Unknown resource kind %q (unit, website, expert or equipment)."},
		"resource.ref_required":          {"请选择基础数据库中的记录。", "Choose a record of the base database."},
		"resource.ref_not_found":         {"基础数据库中没有该记录。", "No such record in the base database."},
		"resource.expert_unavailable":    {"专家%s目前不可调用。", "Expert %s is not available."},
		"resource.equipment_other_org":   {"%s不属于本单位，不能调派。", "%s belongs to another organisation and cannot be dispatched."},
		"resource.equipment_unavailable": {"%s当前状态为“%s”，不能调派。", "%s is marked %s and cannot be dispatched."},
		"resource.equipment_out":         {"%s已调派至事件%s，尚未归还。", "%s is out with incident %s and has not been returned."},
		"resource.already_attached":      {"%s已在本事件中登记。", "%s is already attached to this incident."},
		"resource.not_equipment":         {"只有装备和车辆需要登记归还。", "Only equipment and vehicles are returned."},
		"resource.already_returned":      {"该装备已归还。", "This item has already been returned."},
		"resource.equipment_out_delete":  {"该装备已调派、尚未归还，不能从登记中删除。", "The item is out with an incident and cannot be deleted before its return."},
		"resource.equipment_return":      {"已调派的装备不能删除，请登记归还。", "Dispatched equipment is not removed; record its return."},

		"resource.kind.unit":      {"涉事单位", "Affected unit"},
		"resource.kind.website":   {"涉事网站", "Affected website"},
		"resource.kind.expert":    {"专家组成员", "Expert"},
		"resource.kind.equipment": {"调派装备", "Equipment sent"},

		"timeline.resource_added":    {"登记%s：%s%s", "Attached %s: %s%s"},
		"timeline.resource_removed":  {"移除%s：%s", "Removed %s: %s"},
		"timeline.resource_returned": {"装备%s已归还", "Equipment %s returned"},

		"console.resources":            {"资源", "Resources"},
		"console.resources_none":       {"尚未登记涉事单位、网站、专家或装备。", "No units, websites, experts or equipment attached yet."},
		"console.resource_kind":        {"类型", "Kind"},
		"console.resource_name":        {"名称", "Name"},
		"console.resource_detail":      {"说明", "Details"},
		"console.resource_note":        {"备注", "Note"},
		"console.resource_state":       {"状态", "State"},
		"console.resource_out":         {"调派中", "Out"},
		"console.resource_returned":    {"已归还（%s）", "Returned (%s)"},
		"console.resource_ref":         {"基础数据库记录编号", "Base database record no."},
		"console.resource_add":         {"登记资源", "Attach"},
		"console.resource_remove":      {"移除", "Remove"},
		"console.resource_return":      {"登记归还", "Record return"},
		"console.resource_added":       {"已登记。", "Attached."},
		"console.resource_removed":     {"已移除。", "Removed."},
		"console.resource_returned_ok": {"已登记归还。", "Return recorded."},

		"reg.prefix":        {"按前缀匹配（第一版的查询方式）", "Prefix match (as the first release searched)"},
		"error.bad_version": {"版本号“%s”无效。", "Bad version %q."},
	})
}
